package io.siyu.outbox;

import io.siyu.db.Unavailable;
import io.siyu.worker.WorkLoop;
import io.siyu.worker.Worker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. Each poll claims due touches of {@code touch_queue} with
 * {@code FOR UPDATE SKIP LOCKED} (one more attempt, leased to this instance until the end of its
 * lease) in one statement, so instances sharing the database never claim the same touch; the
 * claimed touches go to their channels, at most {@code SIYU_OUTBOX_CONCURRENCY} at a time, and
 * each result is recorded with the attempt's history rows ({@link Transitions}). A touch whose
 * instance died mid-send is due again once its lease has run out, or at once when that instance
 * starts again: each claim names its instance, and a starting instance frees the claims it left
 * ({@link #start}). Delivery is therefore at least once, and channels pass the touch key on for
 * deduplication. Results that arrive while one is being recorded wait and are recorded together,
 * in one statement: at a trickle each is recorded at once, under load they share commits.
 *
 * <p>All state lives on the context of its {@link WorkLoop}, so it needs no locks; {@link #wake}
 * and {@link #stop} may be called from any thread.
 */
public final class Dispatcher implements Worker {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /**
   * A touch's own columns as the dispatcher and the API read them, from {@code touches t} (the
   * attempts come from its queue place).
   */
  static final String COLUMNS = "t.id, t.touch_key, t.contact_id, t.journey_key, t.process_instance_id, t.activity_id, "
      + "t.channel, t.template_key, t.payload, t.kind";
  /**
   * The most urgent, then most overdue, touches of the queue that no live lease holds, claimed by
   * this instance alone (others skip the locked rows). The claim writes nothing but the queue place:
   * one more attempt, claimed now by this instance ($3, its {@link #claimKey}), leased until $1 (no
   * indexed column, so a heap-only version and no index entry). The touch itself stays as it was
   * until its result is recorded. A place still under a lease that ran out is one whose sender
   * died: the claim writes that attempt's history row here ('queued' with $2, the attempt and its
   * claim) and answers it as {@code lost}.
   *
   * <p>The lease is written where the lock found the place ({@code ctid}: locked, it cannot move
   * before the update), not looked up again by its key. Should another claim or record change a
   * place between this statement's snapshot and its lock, the update does not see that version and
   * leaves it alone: the touch is not in this claim's answer, and a later claim takes it if it is
   * still due.
   *
   * <p>The size of a claim is written into the statement, a power of two (see {@link #claimSql}),
   * and the parameters are plain values: with {@code LIMIT $n} or arithmetic on a parameter, a plan
   * for known values looked cheaper than the generic one, and PostgreSQL planned the statement
   * afresh at every claim.
   */
  private static final String CLAIM = "WITH due AS (SELECT q.ctid AS place, q.touch_id, q.due_at, q.claimed_at AS lost_at, "
      + "  q.leased_until IS NOT NULL AS lost FROM touch_queue q "
      + "  WHERE q.due_at <= now() AND (q.leased_until IS NULL OR q.leased_until <= now()) "
      + "  ORDER BY q.priority DESC, q.due_at LIMIT %d FOR UPDATE SKIP LOCKED), "
      + "leased AS (UPDATE touch_queue q SET attempts = q.attempts + 1, claimed_at = now(), leased_until = $1, "
      + "  claimed_by = $3 "
      + "  FROM due WHERE q.ctid = due.place "
      + "  RETURNING q.touch_id, q.attempts, q.priority, due.due_at, due.lost, due.lost_at), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail, attempt, started_at) "
      + "  SELECT touch_id, 'queued', $2, CASE WHEN lost_at IS NOT NULL THEN attempts - 1 END, lost_at FROM leased "
      + "  WHERE lost ORDER BY touch_id) "
      + "SELECT " + COLUMNS + ", l.attempts, l.priority, l.lost, "
      + "  c.mobile, c.email, c.external_userid, c.owner_staff_id, c.timezone, c.consent "
      + "FROM leased l JOIN touches t ON t.id = l.touch_id JOIN contacts c ON c.id = t.contact_id "
      // RETURNING keeps no order: the claim's own order is the order of sending
      + "ORDER BY l.priority DESC, l.due_at";
  /**
   * At start, the claims this instance ($1, its {@link #claimKey}) left leased when it stopped
   * without recording their results (a crash, a kill): their sender is gone, so they need not wait
   * for the lease. Each is queued again at once, the lost attempt written to its history ($4) as
   * the claim of an expired lease would write it; a touch whose lost attempt was its last ($2) keeps its lease and is given
   * up when it ends, as it would have been. Nothing is freed while another session carries this
   * instance's name ($3, the outbox pools' application_name): then the id is shared by a running
   * Siyu, whose claims these may be.
   */
  private static final String RECLAIM = "WITH twin AS (SELECT EXISTS (SELECT 1 FROM pg_stat_activity "
      + "  WHERE application_name = $3 AND pid <> pg_backend_pid()) AS running), "
      + "freed AS (UPDATE touch_queue SET leased_until = NULL "
      + "  WHERE claimed_by = $1 AND leased_until > now() AND attempts < $2 AND NOT (SELECT running FROM twin) "
      + "  RETURNING touch_id, attempts, claimed_at), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail, attempt, started_at) "
      + "  SELECT touch_id, 'queued', $4, attempts, claimed_at FROM freed ORDER BY touch_id) "
      + "SELECT (SELECT running FROM twin) AS twin, (SELECT count(*) FROM freed) AS freed";
  /** The claim statement for each power of two, made once: claims run hundreds of times a second. */
  private static final String[] CLAIMS =
      java.util.stream.IntStream.range(0, 31).mapToObj(p -> CLAIM.formatted(1 << p)).toArray(String[]::new);

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
  /**
   * Under a backlog, results are recorded once this many wait, or RECORD_GATHER_MS after the last
   * record: each record is a statement and a commit that waits for the disk, about a quarter of a
   * millisecond whatever its size, so a record of 50 results paid 5 µs a touch for it and one of
   * 250 pays 1. At a trickle each result is recorded at once.
   */
  static final int RECORD_BATCH = 256;
  static final long RECORD_GATHER_MS = 20;

  private final Vertx vertx;
  /** Its own event loop, its timer to the next poll, its stop. */
  private final WorkLoop loop;
  /** Claims, and the limits reserved before a send: commits that need not wait for the disk (see Services). */
  private final Pool pool;
  /** Results: their commits wait for the disk, and with it for every claim and reservation before them. */
  private final Pool records;
  private final Channels channels;
  private final OutboxSettings settings;
  private final SendLimits limits;
  private final SendPlanner planner;
  private final TouchRenderer renderer;
  private final TrackedLinks links;
  private final Unsubscribes unsubscribes;
  /** What the history says of a send that outlived its lease. */
  private final String leaseRanOut;
  /** The instance whose claims these are (its outbox sessions are named {@link #sessionName}). */
  private final UUID instance;
  /** What its claims write in {@code touch_queue.claimed_by} ({@link #claimKey}). */
  private final long claimKey;

  // confined to the loop's context
  /** Claims under way (at most {@link #MAX_CLAIMS}), and how many touches they may bring between them. */
  private int claimsOpen;
  private int claiming;
  private boolean wokenWhilePolling;
  /** The last claim filled every free slot: more may be due, so a finished send polls at once. */
  private boolean backlog;
  private int inFlight;
  /** Sent (the channel answered), their results not yet committed. */
  private int awaitingRecord;
  /**
   * Claimed and planned, waiting for a free send slot (at most {@link #buffered} of them): the most
   * urgent first, then in the order claimed. A claim is in priority order already, but under a
   * backlog hundreds of marketing touches of earlier claims wait here, and a WeCom welcome claimed
   * after them must not wait behind them (its code expires within seconds).
   */
  private final java.util.PriorityQueue<Waiting> ready = new java.util.PriorityQueue<>(
      java.util.Comparator.comparingInt((Waiting w) -> -w.plan().touch().priority()).thenComparingLong(Waiting::seq));
  private long readySeq;

  private record Waiting(SendPlanner.Plan plan, long seq) {}
  /** Sends answered, waiting for the results being recorded now; then recorded together. */
  private final List<Pending> unrecorded = new ArrayList<>();
  private boolean recording;
  /** Waiting up to RECORD_GATHER_MS for more results before recording (under a backlog only). */
  private long recordTimer = -1;
  private long nextTidyAt;

  public Dispatcher(Vertx vertx, Pool pool, Pool records, Channels channels, OutboxSettings settings, TouchRenderer renderer,
      TrackedLinks links, Unsubscribes unsubscribes, UUID instance) {
    this.vertx = vertx;
    // an event loop of its own, not the context that happens to build it (the server's start-up
    // context); Services makes its pools just before it, so that they take other loops
    this.loop = new WorkLoop(vertx, log).drives(this::poll, this::idle);
    this.pool = pool;
    this.records = records;
    this.channels = channels;
    this.settings = settings;
    this.limits = new SendLimits(pool, settings.cap());
    this.planner = new SendPlanner(new SendingPolicy(settings.policy()), limits, settings);
    this.renderer = renderer;
    this.links = links;
    this.unsubscribes = unsubscribes;
    this.leaseRanOut = "no result within the lease of " + settings.leaseMs() + " ms (did the sending instance stop?)";
    this.instance = instance;
    this.claimKey = claimKey(instance);
  }

  /**
   * The instance's mark on its claims: its id folded into 64 bits (the two halves XORed). A claim
   * writes a new version of each place it leases, all of a page's places in one statement, and the
   * queue's pages keep room (fillfactor 40) for each new version beside the old one: with the UUID's
   * 16 bytes, the new versions no longer all fit, and some places left their page (no longer a
   * heap-only update). Two instances' ids meet in 64 bits about once in 2^64 pairs.
   */
  public static long claimKey(UUID instance) {
    return instance.getMostSignificantBits() ^ instance.getLeastSignificantBits();
  }

  /**
   * The {@code application_name} of the dispatcher's sessions: while one is connected, the instance
   * runs (its pools must carry it, see {@link #RECLAIM}). 48 characters: PostgreSQL keeps 63.
   */
  public static String sessionName(UUID instance) {
    return "siyu-outbox " + instance;
  }

  @Override
  public String name() {
    return "the outbox's dispatcher";
  }

  /** Frees the claims this instance left when it stopped without recording them, then starts polling. */
  @Override
  public void start() {
    loop.start(() -> reclaim().onComplete(ar -> poll()));
  }

  private Future<Void> reclaim() {
    return pool.preparedQuery(RECLAIM).execute(Tuple.of(claimKey, settings.maxAttempts(), sessionName(instance),
        "no result: instance " + instance + " stopped before recording one and freed the claim when it started again"))
        .map(rows -> {
          Row r = rows.iterator().next();
          if (r.getBoolean("twin")) {
            log.warn("Another running Siyu has this instance's id ({}): the touches claimed under it keep their lease. "
                + "Give each instance its own SIYU_INSTANCE_ID (or SIYU_DATA_DIR)", instance);
          } else if (r.getLong("freed") > 0) {
            log.info("{} touches claimed before this instance stopped are due again at once", r.getLong("freed"));
          }
          return (Void) null;
        })
        .onFailure(err -> log.warn("Could not free the touches this instance claimed before it stopped: {}",
            err.toString()));
  }

  /**
   * Polls now rather than at the next interval: call it after committing touches. Cheap; wakes
   * that arrive together make one poll. A wake before the commit finds nothing and costs one
   * interval's delay.
   */
  public void wake() {
    loop.wake();
  }

  /**
   * Stops claiming and completes once the sends in flight have been recorded (at most 30 s; a
   * send still running then is requeued by the lease), then closes the channels.
   */
  @Override
  public Future<Void> stop() {
    return loop.stop(this::requeueUnsent).compose(v -> channels.close());
  }

  /** Claimed but not started: back to the queue now rather than after the lease. */
  private void requeueUnsent() {
    List<SendPlanner.Plan> unsent = ready.stream().map(Waiting::plan).toList();
    ready.clear();
    unsent.forEach(plan -> releaseCap(plan.touch(), plan.capDay()).onComplete(released -> record(
        Transitions.Result.deferred(plan.touch(), Instant.now(), "not sent before this instance stopped"))));
  }

  private void poll() {
    if (!loop.running()) {
      return;
    }
    if (claimsOpen >= MAX_CLAIMS || (claimsOpen > 0 && !backlog)) {
      wokenWhilePolling = true;
      return;
    }
    int room = claimSize();
    if (room < smallestClaim()) {
      // enough is claimed to keep every slot busy for a while: sends that finish make room
      backlog = true;
      return;
    }
    loop.cancel();
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
      loop.warn("Outbox poll failed", ar.cause());
    }
    plans.forEach(plan -> {
      if (plan.settled() != null) {
        record(plan.settled());
      } else {
        ready.add(new Waiting(plan, readySeq++));
      }
    });
    pump();
    backlog = plans.size() == room;
    if (!loop.running()) {
      loop.settled();
    } else if (backlog) {
      wokenWhilePolling = false;
      poll();
    } else if (claimsOpen > 0) {
      // the other claim, when it comes back, decides when to look again
    } else if (wokenWhilePolling) {
      wokenWhilePolling = false;
      loop.gatherFor(GATHER_MS);
    } else {
      loop.pollAfter(ar.failed(), settings.pollMs());
    }
  }

  /** Now and then: the rate limits' counts of seconds long gone are dropped, and old cap places. */
  private Future<Void> tidyIfDue() {
    long now = System.currentTimeMillis();
    if (now < nextTidyAt) {
      return Future.succeededFuture();
    }
    nextTidyAt = now + settings.tidyMs();
    return limits.forget(Instant.ofEpochMilli(now)).recover(err -> {
      if (!Unavailable.is(err)) {
        log.warn("Outbox housekeeping failed: {}", err.toString());
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Claims up to {@code n} due touches. One that outlived its lease as often as a touch may be
   * tried gives up here, dead, instead of going out again.
   */
  private Future<List<Touch>> claim(int n) {
    OffsetDateTime leaseEnds = Instant.now().plusMillis(settings.leaseMs()).atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(claimSql(n)).execute(Tuple.of(leaseEnds, leaseRanOut, claimKey)).map(rows -> {
      List<Touch> touches = new ArrayList<>(rows.size());
      rows.forEach(r -> {
        Touch touch = Touch.of(r);
        if (r.getBoolean("lost")) {
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
   * How many touches this instance holds claimed at most (sending or waiting for a slot): sixteen
   * times the slots, so one claim statement serves many sends, and two claims under way never
   * leave the slots without work. Their lease runs from the claim.
   */
  private int buffered() {
    return Math.max(settings.concurrency() * 16, 128);
  }

  /** The claim statement for {@code n} touches, a power of two (so a handful of statements, each planned once). */
  private static String claimSql(int n) {
    return CLAIMS[Integer.numberOfTrailingZeros(n)];
  }

  /** The most this instance may claim now, rounded down to a power of two. */
  private int claimSize() {
    return Integer.highestOneBit(Math.max(room(), 1));
  }

  /**
   * Touches this instance may claim now: what is not waiting for a slot, sending or being claimed.
   * Sends that have been answered and wait for their record do not count while they fill no more
   * than a record or two: counting them made every claim small while a record was being gathered
   * (65 touches a claim, where 256 were free), and the send slots waited for the claims. Beyond
   * that the records are falling behind, and claiming waits for them.
   */
  private int room() {
    int recordsBehind = Math.max(0, awaitingRecord - 2 * RECORD_BATCH);
    return buffered() - ready.size() - inFlight - claiming - recordsBehind;
  }

  /** Starts sends while slots are free. */
  private void pump() {
    while (inFlight < settings.concurrency() && !ready.isEmpty()) {
      start(ready.poll().plan());
    }
  }

  /**
   * Sends one touch. Its slot is free again as soon as the channel has answered: the result then
   * waits to be recorded with others (one statement for many), and a slot held through that wait
   * would idle while the provider could take the next send. Until its record commits the touch stays
   * leased in the database, so a crash in between resends it once the lease is over.
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
            if (ar.failed() && !Unavailable.is(ar.cause())) {
              // the touch stays leased until its lease runs out, then goes again
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
    if (!loop.running()) {
      loop.settled();
    } else if (backlog && claimSize() >= smallestClaim()) {
      poll();
    }
  }

  /**
   * Under a backlog, the dispatcher claims again once this many places are free: a quarter of what
   * it holds, so each claim (a statement, and one for its frequency caps) brings a hundred touches
   * or more. Claiming whenever a send slot's worth was free made claims of 44 touches on average.
   */
  private int smallestClaim() {
    return Math.max(settings.concurrency(), buffered() / 4);
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
    if (loop.running() && backlog && unrecorded.size() < RECORD_BATCH) {
      // under a backlog results arrive by the thousand a second: gather them into fewer records
      if (recordTimer < 0) {
        recordTimer = vertx.setTimer(RECORD_GATHER_MS, id -> {
          recordTimer = -1;
          recordNow();
        });
      }
      return;
    }
    recordNow();
  }

  private void recordNow() {
    if (recording || unrecorded.isEmpty()) {
      return;
    }
    if (recordTimer >= 0) {
      vertx.cancelTimer(recordTimer);
      recordTimer = -1;
    }
    List<Pending> batch = new ArrayList<>(unrecorded);
    unrecorded.clear();
    recording = true;
    Transitions.record(records, batch.stream().map(Pending::result).toList()).onComplete(ar -> {
      recording = false;
      batch.forEach(p -> p.recorded().handle(ar));
      recordWaiting();
      if (!loop.running()) {
        loop.settled();
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
    loop.back(channels.send(touch), ar -> {
      vertx.cancelTimer(guard);
      answer.tryComplete(ar.succeeded() ? ar.result() : Delivery.retry(String.valueOf(ar.cause())));
    });
    return answer.future();
  }

  /** Nothing claimed is being planned, sent or recorded. */
  private boolean idle() {
    return claimsOpen == 0 && inFlight == 0 && awaitingRecord == 0 && ready.isEmpty() && !recording
        && unrecorded.isEmpty();
  }
}
