package io.siyu.wecom.callback;

import io.siyu.db.Unavailable;
import io.siyu.worker.WorkLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored callbacks to the handler of their {@code Event}. A poll claims due callbacks in a
 * transaction of their own with {@code SELECT … FOR UPDATE SKIP LOCKED}: instances sharing the
 * database never take the same callback, and the row locks are the lease — if this instance dies,
 * PostgreSQL ends the transaction and the callbacks are due again at once. The claimed callbacks
 * of one event go to its handler together ({@link CallbackHandler#handleAll}), which may do their
 * work set-wise and answers each callback's own outcome. Callbacks about the same contact, group
 * chat, staff member or tag take effect in the order they arrived (a deletion must not overtake
 * the addition before it): within a claim the handler sees to that, and a callback about something
 * an earlier claim is still handling waits for it. The outcomes are written by one statement in the
 * claim's transaction: done (also when no handler takes the event: nothing to do, noted), pending again
 * after an exponential backoff, or parked once the attempts are used up. So a callback costs the
 * inbox one row lock and one update, and a batch one commit — which does not wait for the disk
 * ({@code synchronous_commit = off}): an outcome lost in a crash only means its callback is
 * handled again, which handlers allow for.
 *
 * <p>Up to {@link #MAX_BATCHES} claims are open at once (each holds a connection until its
 * slowest handler answers, at most {@link #HANDLER_TIMEOUT_MS}), with at most
 * {@link #MAX_IN_FLIGHT} callbacks between them; while callbacks are arriving, one claim at a time,
 * at most every {@link #INGESTING_GAP_MS}. Polls every {@code SIYU_WECOM_CALLBACK_POLL_MS},
 * at once on {@link #wake} (after a batch of callbacks committed), and back to back while claims
 * come back full. State lives on the context of its {@link WorkLoop} (the inbox's), so it needs no
 * locks.
 */
final class CallbackProcessor {
  private static final Logger log = LoggerFactory.getLogger(CallbackProcessor.class);
  /** Claims (transactions, connections) open at once, at most. */
  static final int MAX_BATCHES = 4;
  /**
   * Callbacks in one claim, at most: the handlers work set-wise, so a claim's callbacks of one event
   * share their statements and a claim holds about as many connections however many it holds; a
   * claim of 512 handled a burst's callbacks a little faster than one of 256 (0.50 against 0.47 of
   * the hand-written reference end to end, the WeCom ingest benchmark in one hour).
   */
  static final int MAX_CLAIM = 512;
  /**
   * Callbacks being handled, at most, once no more are arriving: room for {@link #MAX_BATCHES}
   * full claims. A claim's handling is mostly waits on the database (a few transactions one after
   * another), so claims side by side keep both the database and this process busy where one claim
   * at a time left them idle between its steps: with one claim of 256 at a time, a burst's
   * callbacks were handled at about 1,800 a second after it (the WeCom ingest benchmark).
   */
  static final int MAX_IN_FLIGHT = MAX_CLAIM * MAX_BATCHES;
  /**
   * Callbacks being handled at most while callbacks are arriving: the answers to WeCom need the CPU
   * then. Once the burst is over, handling widens to {@link #MAX_IN_FLIGHT}: the handlers work set-wise,
   * a claim's callbacks in a few statements, so a wide claim costs the pool few connections.
   */
  static final int INGESTING_IN_FLIGHT = 32;
  /**
   * While callbacks are arriving (a batch stored within the last {@link #INGESTING_MS}), handling
   * steps back to one claim at a time and at most one claim every {@link #INGESTING_GAP_MS}:
   * answering WeCom in time comes first, and what waits is stored. One claim of set-wise handled
   * callbacks costs a few commits however many it holds, so handling still keeps up with hundreds
   * of callbacks a second, each waiting at most about that long. Once the burst is over, handling
   * goes at full width.
   */
  static final long INGESTING_MS = 250;
  static final long INGESTING_GAP_MS = 100;
  /**
   * Under load every inbox commit wakes the processor; claiming at each would make a claim and a
   * commit per few callbacks. A wake within this long of the last claim waits for the rest of it.
   */
  static final long GATHER_MS = 20;
  /** A handler that has not answered by then has failed this attempt. */
  static final long HANDLER_TIMEOUT_MS = 60_000;
  private static final int MAX_ERROR_CHARS = 2000;

  /** Due callbacks, oldest first, locked for this claim's transaction (others skip them). */
  private static final String CLAIM = "SELECT id, event, change_type, fields, received_at, attempts FROM wecom_callbacks "
      + "WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED";

  /**
   * A claim's outcomes, in its transaction (its locks keep everyone else off these rows).
   * clock_timestamp(), not now(): the transaction started when the claim did, before the handlers ran.
   */
  private static final String RECORD = "UPDATE wecom_callbacks c SET status = r.status, attempts = r.attempts, "
      + "last_error = coalesce(r.error, c.last_error), note = r.note, "
      + "next_attempt_at = CASE WHEN r.delay_ms IS NULL THEN c.next_attempt_at "
      + "  ELSE clock_timestamp() + r.delay_ms * interval '1 millisecond' END, "
      + "done_at = CASE WHEN r.status = 'done' THEN clock_timestamp() ELSE c.done_at END, updated_at = clock_timestamp() "
      + "FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[]) "
      + "  AS r (id, attempts, status, error, note, delay_ms) "
      + "WHERE c.id = ANY($1::bigint[]) AND c.id = r.id";

  private final Vertx vertx;
  private final Context context;
  private final WorkLoop loop;
  private final Pool pool;
  private final CallbackSettings settings;
  private final Map<String, CallbackHandler> handlers = new ConcurrentHashMap<>();

  // confined to context
  private boolean polling;
  private boolean wokenWhilePolling;
  /** No room for another claim when a poll was due: a finishing claim polls again. */
  private boolean full;
  private int inFlight;
  /** When the inbox last stored callbacks (its wake). */
  private long lastWakeAt;
  private int openBatches;
  private long lastClaimAt;
  /** The last callback started per subject ({@link WecomCallback#subject}); the next one of that subject waits for it. */
  private final Map<String, Future<Outcome>> lastOfSubject = new HashMap<>();

  public CallbackProcessor(Vertx vertx, Context context, Pool pool, CallbackSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.loop = new WorkLoop(vertx, context, log).drives(this::poll, this::idle);
    this.pool = pool;
    this.settings = settings;
  }

  /** Adds the handler of one event; two handlers of one event are a mistake in the wiring. */
  public void register(CallbackHandler handler) {
    CallbackHandler before = handlers.putIfAbsent(handler.event(), handler);
    if (before != null) {
      throw new IllegalStateException("Two handlers take WeCom event " + handler.event() + ": "
          + before.getClass().getName() + " and " + handler.getClass().getName());
    }
  }

  String name() {
    return "the WeCom callback processor";
  }

  public void start() {
    loop.start();
  }

  /**
   * Polls soon rather than at the next interval: at once, or {@link #GATHER_MS} after the last
   * claim. Wakes during a poll make one more poll after it.
   */
  public void wake() {
    loop.execute(() -> {
      lastWakeAt = System.currentTimeMillis();
      if (polling) {
        wokenWhilePolling = true;
      } else if (!loop.gathering()) {
        gatherThenPoll();
      }
    });
  }

  private void gatherThenPoll() {
    pollAt(lastClaimAt + GATHER_MS);
  }

  /** Polls at {@code at} (now if that has passed); wakes until then are gathered into it. */
  private void pollAt(long at) {
    long wait = at - System.currentTimeMillis();
    if (wait <= 0) {
      poll();
    } else {
      loop.gatherFor(wait);
    }
  }

  /**
   * Claims nothing more; completes once the open claims are recorded (at most 30 s: a claim still
   * open then is rolled back when the pool closes, and its callbacks are due again).
   */
  public Future<Void> stop() {
    return loop.stop();
  }

  private void poll() {
    if (!loop.running()) {
      return;
    }
    if (polling) {
      wokenWhilePolling = true;
      return;
    }
    long now = System.currentTimeMillis();
    boolean ingesting = now - lastWakeAt < INGESTING_MS;
    if (ingesting && now < lastClaimAt + INGESTING_GAP_MS) {
      pollAt(lastClaimAt + INGESTING_GAP_MS);
      return;
    }
    int room = Math.min(MAX_CLAIM, (ingesting ? INGESTING_IN_FLIGHT : MAX_IN_FLIGHT) - inFlight);
    if (room <= 0 || openBatches >= MAX_BATCHES) {
      full = true;
      return;
    }
    if (ingesting && openBatches > 0) {
      // one claim at a time during a burst: the next when this one ends, or the rest of the width once the burst is over
      full = true;
      pollAt(lastWakeAt + INGESTING_MS);
      return;
    }
    loop.cancel();
    polling = true;
    openBatches++;
    lastClaimAt = System.currentTimeMillis();
    Promise<Integer> claimed = Promise.promise();
    int[] size = {0};
    // the outcomes need not wait for the disk: lost in a crash, their callbacks are handled again (handlers are idempotent)
    pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
        .compose(x -> conn.preparedQuery(CLAIM).execute(Tuple.of(room)))
        .compose(rows -> InTurn.on(context, () -> {
          List<Claimed> batch = new ArrayList<>();
          rows.forEach(r -> batch.add(Claimed.of(r)));
          size[0] = batch.size();
          claimed.complete(batch.size());
          List<Future<Outcome>> outcomes = handOver(batch);
          return Future.all(outcomes).map(all -> outcomes.stream().map(Future::result).toList());
        }))
        .compose(outcomes -> outcomes.isEmpty() ? Future.succeededFuture() : record(conn, outcomes)))
        .onComplete(ar -> context.runOnContext(v -> {
          openBatches--;
          if (ar.failed()) {
            claimed.tryFail(ar.cause());
            if (size[0] > 0 && !Unavailable.is(ar.cause())) {
              // rolled back: the callbacks are pending as before and go again; their attempts were not counted
              log.warn("Could not record {} WeCom callbacks: {}", size[0], ar.cause().toString());
            }
          }
          if (!loop.running()) {
            loop.settled();
          } else if (full) {
            full = false;
            poll();
          }
        }));
    claimed.future().onComplete(ar -> context.runOnContext(v -> afterClaim(ar.succeeded(), ar.succeeded() && ar.result() == room,
        ar.cause())));
  }

  private void afterClaim(boolean ok, boolean filled, Throwable error) {
    polling = false;
    if (!ok) {
      loop.warn("WeCom callback poll failed", error);
    }
    if (!loop.running()) {
      loop.settled();
    } else if (ok && filled) {
      poll();
    } else if (ok && wokenWhilePolling) {
      wokenWhilePolling = false;
      gatherThenPoll();
    } else {
      loop.pollAfter(!ok, settings.pollMs());
    }
  }

  /** A claimed callback and the attempt this claim is. */
  private record Claimed(WecomCallback callback, int attempt) {
    static Claimed of(Row r) {
      JsonObject fields = r.getJsonObject("fields");
      return new Claimed(new WecomCallback(r.getLong("id"), r.getString("event"), r.getString("change_type"), fields,
          r.getOffsetDateTime("received_at").toInstant()), r.getInteger("attempts") + 1);
    }
  }

  /** Where one attempt leaves its callback: {@code delayMs} set when it goes back to pending. */
  private record Outcome(long id, int attempt, String status, String error, String note, Long delayMs) {}

  /**
   * On this context: the claim's callbacks to the handlers of their events, each handler's all at
   * once ({@link CallbackHandler#handleAll}), in the order they arrived. A callback about a subject
   * an earlier claim is still handling waits for it and then goes alone, so it neither overtakes
   * that one nor holds back the rest of its claim. Answers one outcome per callback.
   */
  private List<Future<Outcome>> handOver(List<Claimed> batch) {
    Map<String, List<Claimed>> byEvent = new LinkedHashMap<>();
    batch.forEach(c -> byEvent.computeIfAbsent(c.callback().event(), e -> new ArrayList<>()).add(c));
    List<Future<Outcome>> outcomes = new ArrayList<>(batch.size());
    byEvent.forEach((event, claims) -> {
      CallbackHandler handler = event == null ? null : handlers.get(event);
      if (handler == null) {
        claims.forEach(c -> outcomes.add(Future.succeededFuture(new Outcome(c.callback().id(), c.attempt(), "done", null,
            event == null ? "no Event (MsgType " + c.callback().field("MsgType") + "): nothing to do"
                : "no handler for event " + event, null))));
        return;
      }
      List<Claimed> together = new ArrayList<>();
      for (Claimed c : claims) {
        Future<Outcome> before = lastOfSubject.get(c.callback().subject());
        if (before == null) {
          together.add(c);
        } else {
          outcomes.add(track(c, before.transform(x -> InTurn.on(context, () -> attempt(handler, List.of(c)).get(0)))));
        }
      }
      if (!together.isEmpty()) {
        List<Future<Outcome>> answers = attempt(handler, together);
        for (int i = 0; i < together.size(); i++) {
          outcomes.add(track(together.get(i), answers.get(i)));
        }
      }
    });
    return outcomes;
  }

  /**
   * On this context: takes a slot for the callback and makes its outcome the one the next callback
   * about its subject waits for; frees both when it is through.
   */
  private Future<Outcome> track(Claimed c, Future<Outcome> outcome) {
    inFlight++;
    String subject = c.callback().subject();
    lastOfSubject.put(subject, outcome);
    return outcome.compose(o -> InTurn.on(context, () -> {
      if (lastOfSubject.get(subject) == outcome) {
        lastOfSubject.remove(subject);
      }
      // a slow handler holds its slot and its claim's commit, not the other callbacks' slots; a
      // new claim waits until a full claim's slots are free (or a claim ends), so it is worth handling together
      inFlight--;
      if (full && loop.running() && MAX_IN_FLIGHT - inFlight >= MAX_CLAIM) {
        full = false;
        poll();
      }
      return Future.succeededFuture(o);
    }));
  }

  /**
   * One attempt of each of {@code claims}, handed to {@code handler} together; never fails: a
   * failure of the handler, or no answer within {@link #HANDLER_TIMEOUT_MS}, is an outcome.
   */
  private List<Future<Outcome>> attempt(CallbackHandler handler, List<Claimed> claims) {
    List<WecomCallback> callbacks = claims.stream().map(Claimed::callback).toList();
    List<Future<Void>> answers;
    try {
      answers = handler.handleAll(callbacks);
      if (answers == null || answers.size() != callbacks.size()) {
        throw new IllegalStateException("the handler answered " + (answers == null ? "nothing" : answers.size())
            + " for " + callbacks.size() + " callbacks");
      }
    } catch (RuntimeException e) {
      answers = Collections.nCopies(callbacks.size(), Future.failedFuture(e));
    }
    List<Promise<Void>> guarded = new ArrayList<>(claims.size());
    for (Future<Void> answer : answers) {
      Promise<Void> p = Promise.promise();
      (answer == null ? Future.<Void>failedFuture("the handler answered no future") : answer).onComplete(p);
      guarded.add(p);
    }
    long guard = vertx.setTimer(HANDLER_TIMEOUT_MS, id -> guarded.forEach(p ->
        p.tryFail("the handler gave no answer within " + HANDLER_TIMEOUT_MS / 1000 + " s")));
    Future.join(guarded.stream().map(Promise::future).toList()).onComplete(x -> vertx.cancelTimer(guard));
    List<Future<Outcome>> outcomes = new ArrayList<>(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      Claimed c = claims.get(i);
      outcomes.add(guarded.get(i).future().transform(ar -> Future.succeededFuture(ar.succeeded()
          ? new Outcome(c.callback().id(), c.attempt(), "done", null, null, null)
          : failed(c, ar.cause()))));
    }
    return outcomes;
  }

  private Outcome failed(Claimed c, Throwable cause) {
    String error = String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
    if (error.length() > MAX_ERROR_CHARS) {
      error = error.substring(0, MAX_ERROR_CHARS);
    }
    long id = c.callback().id();
    if (c.attempt() >= settings.attempts()) {
      log.warn("WeCom callback {} ({}) parked after {} attempts: {}", id, c.callback().event(), c.attempt(), error);
      return new Outcome(id, c.attempt(), "parked", error, null, null);
    }
    long delay = settings.backoffMs(c.attempt());
    return new Outcome(id, c.attempt(), "pending", error, "attempt " + c.attempt() + " failed; next in " + delay + " ms",
        delay);
  }

  private static Future<Void> record(io.vertx.sqlclient.SqlConnection conn, List<Outcome> outcomes) {
    int n = outcomes.size();
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] statuses = new String[n];
    String[] errors = new String[n];
    String[] notes = new String[n];
    Long[] delays = new Long[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.id();
      attempts[i] = o.attempt();
      statuses[i] = o.status();
      errors[i] = o.error();
      notes[i] = o.note();
      delays[i] = o.delayMs();
    }
    return conn.preparedQuery(RECORD)
        .execute(Tuple.tuple().addValue(ids).addValue(attempts).addValue(statuses).addValue(errors).addValue(notes)
            .addValue(delays))
        .mapEmpty();
  }

  /** No claim is being made or recorded. */
  private boolean idle() {
    return !polling && openBatches == 0;
  }
}
