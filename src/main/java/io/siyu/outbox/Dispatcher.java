package io.siyu.outbox;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. Each poll claims due touches of {@code touch_queue} with
 * {@code FOR UPDATE SKIP LOCKED} (queued → sending, one more attempt, its place in the queue moved
 * to the end of its lease) in one statement, so instances sharing the database never claim the
 * same touch; the claimed touches go to their channels, at most {@code SIYU_OUTBOX_CONCURRENCY} at
 * a time, and each result is recorded with its history row ({@link Transitions}). A touch whose
 * instance died mid-send is due again once its lease has run out. Delivery is therefore at least
 * once, and channels pass the touch key on for deduplication. Results that arrive while one is
 * being recorded wait and are recorded together, in one statement: at a trickle each is recorded
 * at once, under load they share commits.
 *
 * <p>All state lives on one Vert.x context, so it needs no locks; {@link #wake} and
 * {@link #stop} may be called from any thread.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  static final String COLUMNS = "id, touch_key, contact_id, journey_key, process_instance_id, activity_id, channel, "
      + "template_key, payload, attempts, kind";
  /**
   * The most urgent, then most overdue, touches of the queue, claimed by this instance alone
   * (others skip the locked rows). The claim moves each one's place in the queue to the end of its
   * lease: a touch whose result is never recorded (its sender died) is due again then, and the
   * claim that takes it next finds it still 'sending' and notes that the lease ran out.
   *
   * <p>The size of a claim is written into the statement, a power of two (see {@link #claimSql}),
   * and the parameters are plain values ($1 the end of the lease, $2 what the history says of a
   * send that outlived it): with {@code LIMIT $n} or arithmetic on a parameter, a plan for known
   * values looked cheaper than the generic one, and PostgreSQL planned the statement afresh at
   * every claim.
   */
  private static final String CLAIM = "WITH due AS (SELECT q.touch_id, q.due_at, t.status AS was "
      + "  FROM touch_queue q JOIN touches t ON t.id = q.touch_id "
      + "  WHERE q.due_at <= now() AND t.status IN ('queued', 'sending') "
      + "  ORDER BY q.priority DESC, q.due_at LIMIT %d FOR UPDATE OF q SKIP LOCKED), "
      + "leased AS (UPDATE touch_queue q SET due_at = $1 "
      + "  FROM due WHERE q.touch_id = due.touch_id), "
      + "claimed AS (UPDATE touches t SET status = 'sending', attempts = t.attempts + 1, updated_at = now() "
      + "  FROM due WHERE t.id = due.touch_id "
      + "  RETURNING " + COLUMNS + ", t.priority, due.due_at, due.was), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, status, detail FROM ("
      + "  SELECT id, 'queued' AS status, $2 AS detail, 1 AS step FROM claimed WHERE was = 'sending' "
      + "  UNION ALL SELECT id, 'sending', 'attempt ' || attempts, 2 FROM claimed) h ORDER BY id, step) "
      + "SELECT claimed.*, c.mobile, c.email, c.external_userid, c.owner_staff_id, c.timezone, c.consent "
      + "FROM claimed JOIN contacts c ON c.id = claimed.contact_id "
      // RETURNING keeps no order: the claim's own order is the order of sending
      + "ORDER BY claimed.priority DESC, claimed.due_at";
  /** The claim statement for each power of two, made once: claims run hundreds of times a second. */
  private static final String[] CLAIMS =
      java.util.stream.IntStream.range(0, 31).mapToObj(p -> CLAIM.formatted(1 << p)).toArray(String[]::new);

  private static final long STOP_WAIT_MS = 30_000;
  /**
   * How long a wake that arrives during a claim waits before the next claim. Under load every
   * committed journey step wakes the dispatcher; claiming at once after each claim would make one
   * statement and one commit per touch. A lone touch is claimed at once; those that follow it within
   * a claim are gathered for 50 ms into the next. With 10 ms, the welcome benchmark's steady trickle
   * of touches made 1.5 claims and 2.1 records per contact (four touches), each a statement and a
   * commit of about a third of a millisecond; 50 ms is nothing next to a welcome code's validity.
   */
  static final long GATHER_MS = 50;
  /**
   * Claims under way at once, at most. A claim (its statement, its commit, the frequency caps of its
   * touches) takes longer than the sends it brings; while a backlog keeps claims full, the next is
   * taken while the last is still under way, so the send slots do not wait for it.
   */
  static final int MAX_CLAIMS = 2;

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final Channels channels;
  private final OutboxSettings settings;
  private final SendLimits limits;
  private final SendPlanner planner;
  private final TouchRenderer renderer;
  private final TrackedLinks links;
  private final Unsubscribes unsubscribes;
  /** What the history says of a send that outlived its lease. */
  private final String leaseRanOut;

  // confined to context
  private boolean running;
  /** Claims under way (at most {@link #MAX_CLAIMS}), and how many touches they may bring between them. */
  private int claimsOpen;
  private int claiming;
  private boolean wokenWhilePolling;
  /** Waiting GATHER_MS before the next claim: wakes meanwhile change nothing. */
  private boolean gathering;
  /** The last claim filled every free slot: more may be due, so a finished send polls at once. */
  private boolean backlog;
  private long timer = -1;
  private int inFlight;
  /** Sent (the channel answered), their results not yet committed. */
  private int awaitingRecord;
  /** Claimed and planned, waiting for a free send slot (at most {@link #buffered} of them). */
  private final java.util.ArrayDeque<SendPlanner.Plan> ready = new java.util.ArrayDeque<>();
  /** Sends answered, waiting for the results being recorded now; then recorded together. */
  private final List<Pending> unrecorded = new ArrayList<>();
  private boolean recording;
  private long nextTidyAt;
  private Promise<Void> stopped;

  public Dispatcher(Vertx vertx, Pool pool, Channels channels, OutboxSettings settings, TouchRenderer renderer,
      TrackedLinks links, Unsubscribes unsubscribes) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.channels = channels;
    this.settings = settings;
    this.limits = new SendLimits(pool, settings.cap());
    this.planner = new SendPlanner(new SendingPolicy(settings.policy()), limits, settings);
    this.renderer = renderer;
    this.links = links;
    this.unsubscribes = unsubscribes;
    this.leaseRanOut = "no result within the lease of " + settings.leaseMs() + " ms (did the sending instance stop?)";
  }

  /** Starts polling. */
  public void start() {
    context.runOnContext(v -> {
      running = true;
      poll();
    });
  }

  /**
   * Polls now rather than at the next interval: call it after committing touches. Cheap; wakes
   * that arrive together make one poll. A wake before the commit finds nothing and costs one
   * interval's delay.
   */
  public void wake() {
    context.runOnContext(v -> {
      if (!gathering) {
        poll();
      }
    });
  }

  /**
   * Stops claiming and completes once the sends in flight have been recorded (at most 30 s; a
   * send still running then is requeued by the lease), then closes the channels.
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      running = false;
      cancelTimer();
      stopped = done;
      // claimed but not started: back to the queue now rather than after the lease
      List<SendPlanner.Plan> unsent = new ArrayList<>(ready);
      ready.clear();
      unsent.forEach(plan -> releaseCap(plan.touch(), plan.capDay()).onComplete(released -> record(
          Transitions.Result.deferred(plan.touch(), Instant.now(), "not sent before this instance stopped"))));
      long cap = vertx.setTimer(STOP_WAIT_MS, id -> done.tryComplete());
      done.future().onComplete(x -> vertx.cancelTimer(cap));
      checkStopped();
    });
    return done.future().compose(v -> channels.close());
  }

  private void poll() {
    if (!running) {
      return;
    }
    if (claimsOpen >= MAX_CLAIMS || (claimsOpen > 0 && !backlog)) {
      wokenWhilePolling = true;
      return;
    }
    int room = claimSize();
    if (room < settings.concurrency()) {
      // enough is claimed to keep every slot busy for a while: sends and records that finish make room
      backlog = true;
      return;
    }
    cancelTimer();
    claimsOpen++;
    claiming += room;
    Instant now = Instant.now();
    tidyIfDue().compose(v -> claim(room)).compose(claimed -> planner.plan(claimed, channels.configured(), now))
        .onComplete(ar -> claimed(ar, room));
    if (backlog) {
      poll(); // the next claim is taken while this one is under way
    }
  }

  private void claimed(AsyncResult<List<SendPlanner.Plan>> ar, int room) {
    claimsOpen--;
    claiming -= room;
    List<SendPlanner.Plan> plans = ar.succeeded() ? ar.result() : List.of();
    if (ar.failed()) {
      log.warn("Outbox poll failed: {}", ar.cause().toString());
    }
    plans.forEach(plan -> {
      if (plan.settled() != null) {
        record(plan.settled());
      } else {
        ready.add(plan);
      }
    });
    pump();
    backlog = plans.size() == room;
    if (!running) {
      checkStopped();
    } else if (backlog) {
      wokenWhilePolling = false;
      poll();
    } else if (claimsOpen > 0) {
      // the other claim, when it comes back, decides when to look again
    } else if (wokenWhilePolling) {
      wokenWhilePolling = false;
      gathering = true;
      timer = vertx.setTimer(GATHER_MS, id -> {
        timer = -1;
        gathering = false;
        poll();
      });
    } else {
      // a database that is down is asked again once a second, not at every interval
      long delay = ar.failed() ? Math.max(settings.pollMs(), 1000) : settings.pollMs();
      timer = vertx.setTimer(delay, id -> {
        timer = -1;
        poll();
      });
    }
  }

  /** Now and then: the rate limits' counts of seconds long gone are dropped. */
  private Future<Void> tidyIfDue() {
    long now = System.currentTimeMillis();
    if (now < nextTidyAt) {
      return Future.succeededFuture();
    }
    nextTidyAt = now + settings.tidyMs();
    return limits.forgetRates(Instant.ofEpochMilli(now)).recover(err -> {
      log.warn("Outbox housekeeping failed: {}", err.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Claims up to {@code n} due touches. One that outlived its lease as often as a touch may be
   * tried gives up here, dead, instead of going out again.
   */
  private Future<List<Touch>> claim(int n) {
    OffsetDateTime leaseEnds = Instant.now().plusMillis(settings.leaseMs()).atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(claimSql(n)).execute(Tuple.of(leaseEnds, leaseRanOut)).map(rows -> {
      List<Touch> touches = new ArrayList<>(rows.size());
      rows.forEach(r -> {
        Touch touch = Touch.of(r);
        if ("sending".equals(r.getString("was"))) {
          log.warn("Touch {} had no result within the lease; attempt {} now", touch.id(), touch.attempt());
          if (touch.attempt() > settings.maxAttempts()) {
            record(Transitions.Result.leaseRanOut(touch, settings));
            return;
          }
        }
        touches.add(touch);
      });
      return touches;
    });
  }

  /**
   * How many touches this instance holds claimed at most (sending or waiting for a slot): several
   * times the slots, so one claim statement (and one commit) serves many sends. Their lease runs
   * from the claim.
   */
  private int buffered() {
    return Math.max(settings.concurrency() * 8, 64);
  }

  /** The claim statement for {@code n} touches, a power of two (so a handful of statements, each planned once). */
  private static String claimSql(int n) {
    return CLAIMS[Integer.numberOfTrailingZeros(n)];
  }

  /** The most this instance may claim now, rounded down to a power of two. */
  private int claimSize() {
    return Integer.highestOneBit(Math.max(room(), 1));
  }

  /** Touches this instance may claim now: what is not waiting for a slot, sending, waiting for its record or being claimed. */
  private int room() {
    return buffered() - ready.size() - inFlight - awaitingRecord - claiming;
  }

  /** Starts sends while slots are free. */
  private void pump() {
    while (inFlight < settings.concurrency() && !ready.isEmpty()) {
      start(ready.poll());
    }
  }

  /**
   * Sends one touch. Its slot is free again as soon as the channel has answered: the result then
   * waits to be recorded with others (one statement for many), and a slot held through that wait
   * would idle while the provider could take the next send. Until its record commits the touch stays
   * 'sending' in the database, so a crash in between resends it once the lease is over.
   */
  private void start(SendPlanner.Plan plan) {
    inFlight++;
    Touch touch = plan.touch();
    rateThenSend(touch, plan.capDay(), Instant.now())
        .recover(err -> Future.succeededFuture(Transitions.Result.of(touch, Delivery.retry("sending: " + err), settings)))
        .onComplete(answered -> {
          inFlight--;
          awaitingRecord++;
          pump();
          record(answered.result()).onComplete(ar -> {
            if (ar.failed()) {
              // the touch stays in 'sending' until its lease runs out, then goes again
              log.warn("Could not record the result of touch {}: {}", touch.id(), ar.cause().toString());
            }
            awaitingRecord--;
            progressed();
          });
          progressed();
        });
  }

  /** After a send or a record: stop if asked to, or claim more when the backlog runs low. */
  private void progressed() {
    if (!running) {
      checkStopped();
    } else if (backlog && claimSize() >= settings.concurrency()) {
      poll();
    }
  }

  private Future<Transitions.Result> rateThenSend(Touch touch, LocalDate capDay, Instant now) {
    return limits.reserveRate(touch.channel(), channels.ratePerSecond(touch.channel()), now).compose(allowed -> {
      if (!allowed) {
        return releaseCap(touch, capDay).map(v -> Transitions.Result.deferred(touch, now.plusMillis(1000 - now.toEpochMilli() % 1000),
            "rate limit of channel " + touch.channel()));
      }
      return rendered(touch)
          .compose(this::send, rendering -> Future.succeededFuture(rendering instanceof TouchRenderer.Failure
              ? Delivery.failed("render failed: " + rendering.getMessage())
              : Delivery.retry("render failed: " + rendering)))
          .compose(delivery -> delivery.outcome() == Delivery.Outcome.SENT
              ? Future.succeededFuture(Transitions.Result.of(touch, delivery, settings))
              : releaseCap(touch, capDay).map(v -> Transitions.Result.of(touch, delivery, settings)));
    });
  }

  /**
   * The touch with its message, for channels that send text; its links become tracked short links,
   * saved before the send so they open once the member has the message.
   */
  private Future<Touch> rendered(Touch touch) {
    if (!channels.needsContent(touch.channel())) {
      return Future.succeededFuture(touch);
    }
    List<String> urls = new ArrayList<>();
    return renderer.render(touch, url -> {
      urls.add(url);
      return links.link(touch, url);
    }).compose(content -> links.save(touch, urls).compose(v -> withUnsubscribe(touch, content)))
        .map(touch::with);
  }

  /** Marketing email carries the contact's one-click unsubscribe link. */
  private Future<Content> withUnsubscribe(Touch touch, Content content) {
    if (!touch.marketing() || !touch.channel().equals("email")) {
      return Future.succeededFuture(content);
    }
    return unsubscribes.link(touch).map(url -> new Content(content.subject(), content.html(), content.text(),
        content.templateVersion(), url));
  }

  private Future<Void> releaseCap(Touch touch, LocalDate capDay) {
    return capDay == null ? Future.succeededFuture() : limits.releaseCap(touch, capDay);
  }

  private record Pending(Transitions.Result result, Promise<Void> recorded) {}

  /** On this context: records the result with any others that arrive while a record is under way. */
  private Future<Void> record(Transitions.Result result) {
    Promise<Void> recorded = Promise.promise();
    unrecorded.add(new Pending(result, recorded));
    recordWaiting();
    return recorded.future();
  }

  private void recordWaiting() {
    if (recording || unrecorded.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>(unrecorded);
    unrecorded.clear();
    recording = true;
    Transitions.record(pool, batch.stream().map(Pending::result).toList()).onComplete(ar -> {
      recording = false;
      batch.forEach(p -> p.recorded().handle(ar));
      recordWaiting();
      if (!running) {
        checkStopped();
      }
    });
  }

  /**
   * The channel's answer, back on this context; a channel that never answers frees its slot once
   * the lease is over (the moment another claim may take the touch again).
   */
  private Future<Delivery> send(Touch touch) {
    Promise<Delivery> answer = Promise.promise();
    long guard = vertx.setTimer(settings.leaseMs(), id ->
        answer.tryComplete(Delivery.retry("channel " + touch.channel() + " gave no answer within the lease")));
    channels.send(touch).onComplete(ar -> context.runOnContext(v -> {
      vertx.cancelTimer(guard);
      answer.tryComplete(ar.succeeded() ? ar.result() : Delivery.retry(String.valueOf(ar.cause())));
    }));
    return answer.future();
  }

  private void checkStopped() {
    if (stopped != null && claimsOpen == 0 && inFlight == 0 && awaitingRecord == 0 && ready.isEmpty() && !recording
        && unrecorded.isEmpty()) {
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
