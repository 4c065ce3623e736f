package io.siyu.wecom.callback;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.siyu.worker.Worker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WeCom callback feature of one running Siyu: its settings, the writer that stores callbacks,
 * the processor that hands them to handlers (started here), and what admins read and replay.
 */
public final class CallbackInbox implements Worker {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackInbox.class);
  public static final Set<String> STATUSES = Set.of("pending", "done", "parked");
  /** A callback as the API shows it, in the order of its JSON. */
  private static final String COLUMNS = "id, event, change_type, fields, status, attempts, next_attempt_at, last_error, "
      + "note, received_at, updated_at, done_at";

  /** Parked or done → pending, due now, attempts from zero. A pending one is already on its way. */
  private static final String REPLAY = "UPDATE wecom_callbacks SET status = 'pending', attempts = 0, "
      + "next_attempt_at = now(), note = 'replayed by ' || $2, updated_at = now() "
      + "WHERE id = $1 AND status IN ('parked', 'done') RETURNING " + COLUMNS;

  /**
   * Done callbacks past the retention, a batch at a time: one statement never holds many row locks
   * or a long transaction, and the hourly run keeps up with any corp's rate.
   */
  private static final String FORGET_DONE = "DELETE FROM wecom_callbacks WHERE id IN (SELECT id FROM wecom_callbacks "
      + "WHERE status = 'done' AND done_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2)";
  /** Followed by the page's conditions and order. */
  private static final String CALLBACKS_WHERE = "SELECT " + COLUMNS + " FROM wecom_callbacks WHERE ";
  /** One callback with the decrypted message as WeCom sent it. */
  private static final String CALLBACK = "SELECT " + COLUMNS + ", message FROM wecom_callbacks WHERE id = $1";
  private static final int FORGET_BATCH = 5_000;
  /** The first look a minute after start (not in the way of starting), then hourly. */
  private static final long FORGET_FIRST_MS = 60_000;
  private static final long FORGET_EVERY_MS = 3_600_000;

  private final Vertx vertx;
  private final Pool pool;
  private final Context context;
  private final CallbackSettings settings;
  private final Clock clock;
  private final CallbackProcessor processor;
  private final InboxWriter writer;
  private long forgetTimer = -1;

  private CallbackInbox(Vertx vertx, Pool pool, CallbackSettings settings, Clock clock, List<CallbackHandler> handlers) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.clock = clock;
    this.context = vertx.getOrCreateContext();
    this.processor = new CallbackProcessor(vertx, context, pool, settings);
    this.writer = new InboxWriter(context, pool, processor::wake);
    handlers.forEach(processor::register);
  }

  /** The inbox; {@code handlers} take the events they name once it is started ({@link #start}). */
  public static CallbackInbox create(Vertx vertx, Pool pool, CallbackSettings settings, List<CallbackHandler> handlers) {
    return new CallbackInbox(vertx, pool, settings, Clock.systemUTC(), handlers);
  }

  @Override
  public String name() {
    return processor.name();
  }

  /**
   * Starts handing stored callbacks to their handlers, and forgetting done ones past the retention
   * (from a minute after start on, hourly).
   */
  @Override
  public void start() {
    processor.start();
    forgetTimer = vertx.setPeriodic(FORGET_FIRST_MS, FORGET_EVERY_MS, id -> forgetDone()
        .onFailure(e -> LOG.warn("Forgetting done WeCom callbacks failed; the next hour tries again", e)));
  }

  /**
   * Deletes the done callbacks handled longer ago than the retention, answering how many. The inbox
   * is also the record of what WeCom sent, but a callback handled a month ago has done its work:
   * its contact, group chat or tag holds the result. WeCom retries within minutes, so a retry still
   * finds the callback it repeats. Parked callbacks stay until an admin replays them.
   */
  public Future<Long> forgetDone() {
    return forgetFrom(0L);
  }

  private Future<Long> forgetFrom(long sofar) {
    return pool.preparedQuery(FORGET_DONE).execute(Tuple.of((int) settings.retention().toDays(), (long) FORGET_BATCH))
        .compose(rows -> rows.rowCount() < FORGET_BATCH ? Future.succeededFuture(sofar + rows.rowCount())
            : forgetFrom(sofar + rows.rowCount()));
  }

  /** Adds a handler (tests add ones for made-up events); callbacks already stored are handed to it when next due. */
  public void register(CallbackHandler handler) {
    processor.register(handler);
  }

  public CallbackSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  /** The context the writer and the processor keep their state on. */
  Context context() {
    return context;
  }

  public InboxWriter writer() {
    return writer;
  }

  /** Stops claiming callbacks; completes once those being handled are recorded. */
  @Override
  public Future<Void> stop() {
    vertx.cancelTimer(forgetTimer);
    return processor.stop();
  }

  /** The latest callback first. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  /** Both filters optional, every value bound. */
  public Future<JsonObject> list(String status, String event, Page page) {
    SqlParams p = new SqlParams();
    List<String> where = new ArrayList<>(List.of(page.after(p::add)));
    if (status != null) {
      where.add("status = " + p.add(status));
    }
    if (event != null) {
      where.add("event = " + p.add(event));
    }
    return pool.preparedQuery(CALLBACKS_WHERE + String.join(" AND ", where)
            + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /** One callback with the decrypted message as WeCom sent it. */
  public Future<JsonObject> get(long id) {
    return pool.preparedQuery(CALLBACK).execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "WeCom callback " + id, RowJson::of));
  }

  /** A parked or done callback goes back to its handler with its attempts reset; a pending one is a 409. */
  public Future<JsonObject> replay(long id, String actor) {
    return pool.preparedQuery(REPLAY).execute(Tuple.of(id, actor)).compose(rows -> {
      if (rows.size() == 0) {
        return get(id).compose(c -> Future.failedFuture(Problem.conflict("WeCom callback " + id + " is "
            + c.getString("status") + "; only parked or done callbacks can be replayed", null)));
      }
      processor.wake();
      return Future.succeededFuture(RowJson.of(rows.iterator().next()));
    });
  }
}
