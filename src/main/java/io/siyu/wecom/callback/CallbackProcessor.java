package io.siyu.wecom.callback;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored callbacks to the handler of their {@code Event}. Each poll claims due callbacks
 * with {@code FOR UPDATE SKIP LOCKED} — one more attempt, and a lease: the claim moves
 * {@code next_attempt_at} past the lease, so instances sharing the database never take the same
 * callback, and one whose instance died is taken again once the lease is over. Up to
 * {@link #MAX_IN_FLIGHT} callbacks are handled side by side, except that callbacks about the same
 * contact, group chat, staff member or tag run one after another in the order they arrived (a
 * deletion must not overtake the addition before it). Each outcome is recorded as soon as its
 * handler answers — outcomes arriving while one is being recorded are recorded together, in one
 * statement: done (also when no handler takes the event: nothing to do, noted), pending again
 * after an exponential backoff, or parked once the attempts are used up. A slow handler holds back
 * nothing but the callbacks about its own subject.
 *
 * <p>Polls every {@code SIYU_WECOM_CALLBACK_POLL_MS}, at once on {@link #wake} (after a batch of
 * callbacks committed), and back to back while claims come back full. State lives on one
 * Vert.x context, so it needs no locks.
 */
public final class CallbackProcessor {
  private static final Logger log = LoggerFactory.getLogger(CallbackProcessor.class);
  /** Callbacks claimed and not yet recorded, at most: the most one claim takes. */
  static final int MAX_IN_FLIGHT = 50;
  /** How long a claim holds a callback; longer than any handler may take. */
  static final long LEASE_MS = 300_000;
  /** A handler that has not answered by then has failed this attempt. */
  static final long HANDLER_TIMEOUT_MS = 60_000;
  private static final int MAX_ERROR_CHARS = 2000;
  /** The fields that name what a callback is about, in the order they are looked for (see {@link #orderKey}). */
  private static final List<String> SUBJECTS = List.of("ExternalUserID", "ChatId", "UserID", "Id");

  /**
   * Due callbacks, oldest first, for this instance alone. A callback still pending with every
   * attempt used was claimed for its last attempt by an instance that gave no result within the
   * lease: it is parked now rather than tried once more.
   */
  private static final String CLAIM = "UPDATE wecom_callbacks SET "
      + "attempts = CASE WHEN attempts >= $3 THEN attempts ELSE attempts + 1 END, "
      + "status = CASE WHEN attempts >= $3 THEN 'parked' ELSE status END, "
      + "last_error = CASE WHEN attempts >= $3 THEN 'no result within the lease of the last attempt (did its instance stop?)' "
      + "  ELSE last_error END, "
      + "next_attempt_at = now() + $2::bigint * interval '1 millisecond', updated_at = now() "
      + "WHERE id IN (SELECT id FROM wecom_callbacks WHERE status = 'pending' AND next_attempt_at <= now() "
      + "  ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) "
      + "RETURNING id, event, change_type, fields, received_at, attempts, status";

  /**
   * Outcomes, each only while the callback is still this attempt's: a replay (attempts back to 0)
   * or a later claim after an expired lease (attempts moved on) wins.
   */
  private static final String RECORD = "UPDATE wecom_callbacks c SET status = r.status, "
      + "last_error = coalesce(r.error, c.last_error), note = r.note, "
      + "next_attempt_at = CASE WHEN r.delay_ms IS NULL THEN c.next_attempt_at "
      + "  ELSE now() + r.delay_ms * interval '1 millisecond' END, "
      + "done_at = CASE WHEN r.status = 'done' THEN now() ELSE c.done_at END, updated_at = now() "
      + "FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[]) "
      + "  AS r (id, attempts, status, error, note, delay_ms) "
      + "WHERE c.id = r.id AND c.attempts = r.attempts AND c.status = 'pending'";

  private static final long STOP_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final CallbackSettings settings;
  private final Map<String, CallbackHandler> handlers = new ConcurrentHashMap<>();

  // confined to context
  private boolean running;
  private boolean polling;
  private boolean wokenWhilePolling;
  /** Every slot was taken when a poll was due: a finishing callback polls again. */
  private boolean full;
  private long timer = -1;
  private long quietUntil;
  private int inFlight;
  /** The last callback started per subject (see {@link #orderKey}); the next one of that subject waits for it. */
  private final Map<String, Future<Outcome>> lastOfSubject = new HashMap<>();
  private final List<Unrecorded> unrecorded = new ArrayList<>();
  private boolean recording;
  private Promise<Void> stopped;

  public CallbackProcessor(Vertx vertx, Context context, Pool pool, CallbackSettings settings) {
    this.vertx = vertx;
    this.context = context;
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

  public void start() {
    context.runOnContext(v -> {
      running = true;
      poll();
    });
  }

  /** Polls now rather than at the next interval; wakes during a poll make one more poll after it. */
  public void wake() {
    context.runOnContext(v -> poll());
  }

  /**
   * Claims nothing more; completes once the callbacks being handled are recorded (at most 30 s:
   * a callback still running then is taken again when its lease is over).
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      running = false;
      cancelTimer();
      stopped = done;
      long cap = vertx.setTimer(STOP_WAIT_MS, id -> done.tryComplete());
      done.future().onComplete(x -> vertx.cancelTimer(cap));
      checkStopped();
    });
    return done.future();
  }

  private void poll() {
    if (!running) {
      return;
    }
    if (polling) {
      wokenWhilePolling = true;
      return;
    }
    int room = MAX_IN_FLIGHT - inFlight;
    if (room <= 0) {
      full = true;
      return;
    }
    cancelTimer();
    polling = true;
    pool.preparedQuery(CLAIM).execute(Tuple.of(room, LEASE_MS, settings.attempts()))
        .onComplete(ar -> context.runOnContext(v -> {
          polling = false;
          List<Claimed> claimed = new ArrayList<>();
          if (ar.succeeded()) {
            ar.result().forEach(r -> claimed.add(Claimed.of(r)));
            claimed.sort(Comparator.comparingLong(c -> c.callback().id()));
            claimed.forEach(this::start);
          } else if (System.currentTimeMillis() >= quietUntil) {
            // once a minute at most: a database that is down would otherwise fill the log
            log.warn("WeCom callback poll failed: {}", ar.cause().toString());
            quietUntil = System.currentTimeMillis() + 60_000;
          }
          if (!running) {
            checkStopped();
          } else if (ar.succeeded() && (claimed.size() == room || wokenWhilePolling)) {
            wokenWhilePolling = false;
            poll();
          } else {
            long delay = ar.succeeded() ? settings.pollMs() : Math.max(settings.pollMs(), 1000);
            timer = vertx.setTimer(delay, id -> {
              timer = -1;
              poll();
            });
          }
        }));
  }

  /** A claimed callback and the attempt this claim is. */
  private record Claimed(WecomCallback callback, int attempt, boolean parkedAtClaim) {
    static Claimed of(Row r) {
      JsonObject fields = r.getJsonObject("fields");
      return new Claimed(new WecomCallback(r.getLong("id"), r.getString("event"), r.getString("change_type"), fields,
          r.getOffsetDateTime("received_at").toInstant()), r.getInteger("attempts"), "parked".equals(r.getString("status")));
    }
  }

  /** Where one attempt leaves its callback: {@code delayMs} set when it goes back to pending. */
  private record Outcome(long id, int attempt, String status, String error, String note, Long delayMs) {}

  private record Unrecorded(Outcome outcome, Promise<Void> recorded) {}

  /** On this context: runs the callback once the one before it about the same subject is through, then records it. */
  private void start(Claimed c) {
    if (c.parkedAtClaim()) {
      log.warn("WeCom callback {} parked: its last attempt gave no result within the lease", c.callback().id());
      return;
    }
    inFlight++;
    String subject = orderKey(c.callback());
    Future<Outcome> before = lastOfSubject.get(subject);
    Future<Outcome> outcome = before == null ? attempt(c) : before.transform(x -> onContext(() -> attempt(c)));
    lastOfSubject.put(subject, outcome);
    outcome.compose(o -> onContext(() -> {
      if (lastOfSubject.get(subject) == outcome) {
        lastOfSubject.remove(subject);
      }
      return record(o);
    })).onComplete(ar -> context.runOnContext(v -> {
      inFlight--;
      if (ar.failed()) {
        // the callback stays claimed until its lease is over, then goes again
        log.warn("Could not record the outcome of WeCom callback {}: {}", c.callback().id(), ar.cause().toString());
      }
      if (!running) {
        checkStopped();
      } else if (full) {
        full = false;
        poll();
      }
    }));
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete(ar.result());
      } else {
        done.fail(ar.cause());
      }
    }));
    return done.future();
  }

  /** What a callback is about, e.g. {@code ExternalUserID:wmxxxx}: callbacks about the same thing run in turn. */
  static String orderKey(WecomCallback c) {
    for (String name : SUBJECTS) {
      String value = c.field(name);
      if (value != null && !value.isEmpty()) {
        return name + ":" + value;
      }
    }
    return "callback:" + c.id();
  }

  /** One attempt; never fails: a failure of the handler is an outcome. */
  private Future<Outcome> attempt(Claimed c) {
    WecomCallback callback = c.callback();
    CallbackHandler handler = callback.event() == null ? null : handlers.get(callback.event());
    if (handler == null) {
      String note = callback.event() == null ? "no Event (MsgType " + callback.field("MsgType") + "): nothing to do"
          : "no handler for event " + callback.event();
      return Future.succeededFuture(new Outcome(callback.id(), c.attempt(), "done", null, note, null));
    }
    Promise<Void> answer = Promise.promise();
    long guard = vertx.setTimer(HANDLER_TIMEOUT_MS, id ->
        answer.tryFail("the handler gave no answer within " + HANDLER_TIMEOUT_MS / 1000 + " s"));
    Future.<Void>succeededFuture()
        .compose(v -> {
          Future<Void> f = handler.handle(callback); // a handler that throws fails this attempt like a failed future
          return f == null ? Future.failedFuture("the handler answered no future") : f;
        })
        .onComplete(ar -> {
          vertx.cancelTimer(guard);
          if (ar.succeeded()) {
            answer.tryComplete();
          } else {
            answer.tryFail(ar.cause());
          }
        });
    return answer.future().transform(ar -> Future.succeededFuture(ar.succeeded()
        ? new Outcome(callback.id(), c.attempt(), "done", null, null, null)
        : failed(c, ar.cause())));
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

  /** On this context: records the outcome with any others that arrive while a record is under way. */
  private Future<Void> record(Outcome outcome) {
    Promise<Void> recorded = Promise.promise();
    unrecorded.add(new Unrecorded(outcome, recorded));
    recordWaiting();
    return recorded.future();
  }

  private void recordWaiting() {
    if (recording || unrecorded.isEmpty()) {
      return;
    }
    List<Unrecorded> batch = new ArrayList<>(unrecorded);
    unrecorded.clear();
    recording = true;
    write(batch.stream().map(Unrecorded::outcome).toList()).onComplete(ar -> context.runOnContext(v -> {
      recording = false;
      batch.forEach(u -> u.recorded().handle(ar));
      recordWaiting();
    }));
  }

  private Future<Void> write(List<Outcome> outcomes) {
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
    return pool.preparedQuery(RECORD)
        .execute(Tuple.tuple().addValue(ids).addValue(attempts).addValue(statuses).addValue(errors).addValue(notes)
            .addValue(delays))
        .mapEmpty();
  }

  private void checkStopped() {
    if (stopped != null && !polling && inFlight == 0 && !recording && unrecorded.isEmpty()) {
      stopped.tryComplete();
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
