package io.siyu.worker;

import io.siyu.db.Unavailable;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * The poll / wake / stop loop every queue worker of Siyu runs, written once. The worker keeps its
 * own claim and record statements (each tuned to its table) and its own policy of when to look
 * again; the loop keeps the state they all need, on one Vert.x context so it needs no locks:
 * whether it runs, the one timer to the next poll (a wait, or a gathering of wakes into one poll),
 * and a stop that completes once the worker says nothing is under way.
 *
 * <p>Everything but {@link #wake}, {@link #execute}, {@link #start} and {@link #stop} is called on
 * the loop's context.
 */
public final class WorkLoop {
  /** How long a stop waits for the work under way, at most: what is left is claimed again by its lease. */
  static final long STOP_WAIT_MS = 30_000;
  /** A failure other than the database being away is logged at most once in this long. */
  static final long QUIET_MS = 60_000;
  /** A failed poll is tried again after this long at least: a database that is down is asked once a second. */
  static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final Logger log;
  private Runnable poll;
  private BooleanSupplier idle;

  // confined to context
  private boolean running;
  private long timer = -1;
  private boolean gathering;
  private Promise<Void> stopped;
  private long quietUntil;

  /** A loop on {@code context}: a worker that shares its context with another part of its feature. */
  public WorkLoop(Vertx vertx, Context context, Logger log) {
    this.vertx = vertx;
    this.context = context;
    this.log = log;
  }

  /** A loop on an event loop of its own, not the context that happens to build it. */
  public WorkLoop(Vertx vertx, Logger log) {
    this(vertx, ((VertxInternal) vertx).createEventLoopContext(), log);
  }

  /**
   * What the loop drives, set once before {@link #start}, both run on the loop's context:
   * {@code poll} claims what is due (or notes that a claim is under way and looks again after it);
   * {@code idle} tells that nothing claimed is still being worked on or recorded, so a stop may
   * complete.
   */
  public WorkLoop drives(Runnable poll, BooleanSupplier idle) {
    this.poll = poll;
    this.idle = idle;
    return this;
  }

  public Context context() {
    return context;
  }

  /** Runs {@code task} on the loop's context. */
  public void execute(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** Runs {@code first} on the loop's context once the loop runs (by default a poll). */
  public void start(Runnable first) {
    execute(() -> {
      running = true;
      stopped = null;
      first.run();
    });
  }

  public void start() {
    start(() -> poll.run());
  }

  /** Polls now unless wakes are being gathered into a poll to come. Any thread. */
  public void wake() {
    execute(() -> {
      if (running && !gathering) {
        poll.run();
      }
    });
  }

  /** Stops polling; {@code onStop} (on the context) hands back what was claimed and not started. */
  public Future<Void> stop(Runnable onStop) {
    Promise<Void> done = Promise.promise();
    execute(() -> {
      running = false;
      cancel();
      stopped = done;
      onStop.run();
      long cap = vertx.setTimer(STOP_WAIT_MS, id -> done.tryComplete());
      done.future().onComplete(x -> vertx.cancelTimer(cap));
      settled();
    });
    return done.future();
  }

  public Future<Void> stop() {
    return stop(() -> { });
  }

  public boolean running() {
    return running;
  }

  /** A poll is waiting for wakes to gather: a wake now changes nothing. */
  public boolean gathering() {
    return gathering;
  }

  /** Polls in {@code ms} (at once when not positive), instead of any poll already timed. */
  public void pollIn(long ms) {
    time(ms, false);
  }

  /** Polls in {@code ms}, and until then takes wakes as part of that poll. */
  public void gatherFor(long ms) {
    time(ms, true);
  }

  /** Polls after the worker's interval, or after {@link #RETRY_MS} at least when the last poll failed. */
  public void pollAfter(boolean failed, long intervalMs) {
    pollIn(failed ? Math.max(intervalMs, RETRY_MS) : intervalMs);
  }

  private void time(long ms, boolean gather) {
    cancel();
    if (!running) {
      return;
    }
    if (ms <= 0) {
      poll.run();
      return;
    }
    gathering = gather;
    timer = vertx.setTimer(ms, id -> {
      timer = -1;
      gathering = false;
      poll.run();
    });
  }

  /** No poll is timed any more (nor gathered: the next wake polls). */
  public void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    gathering = false;
  }

  /** Work has finished: while stopping, the stop completes once the job is idle. */
  public void settled() {
    if (stopped != null && !running && idle.getAsBoolean()) {
      stopped.tryComplete();
    }
  }

  /** Handles {@code result} on the loop's context (futures of pools and workers complete elsewhere). */
  public <T> void back(Future<T> result, Handler<AsyncResult<T>> handler) {
    result.onComplete(ar -> execute(() -> handler.handle(ar)));
  }

  /**
   * Logs a failed step as {@code what: error}, unless the database is away (the monitor says so
   * once) or the same loop logged one within the last minute: a failure that repeats at every poll
   * would fill the log.
   */
  public void warn(String what, Throwable error) {
    long now = System.currentTimeMillis();
    if (Unavailable.is(error) || now < quietUntil) {
      return;
    }
    quietUntil = now + QUIET_MS;
    log.warn("{}: {}", what, error.toString());
  }
}
