package io.siyu.outbox;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.web.JsonValues;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reading touches with their history, and sending dead or failed ones again. */
public final class TouchService {
  public static final Set<String> STATUSES =
      Set.of("queued", "sending", "sent", "delivered", "read", "failed", "dead", "suppressed");
  /**
   * What the API shows of a touch. While one of its sends is under way (its queue place leased),
   * it says 'sending', with that attempt counted; {@code touches} itself learns of the attempt when
   * its result is recorded.
   */
  private static final String STATUS = "CASE WHEN q.leased_until > now() THEN 'sending' ELSE t.status END";
  /** A touch as the API shows it, in the order of its JSON; followed by its WHERE. */
  private static final String SELECT = "SELECT t.id, t.touch_key, t.contact_id, t.journey_key, t.process_instance_id, "
      + "t.activity_id, t.channel, t.requested_channel, t.kind, t.template_key, t.payload, "
      + "t.touch_key LIKE '" + TestSends.KEY_PREFIX + "%' AS test, "
      + STATUS + " AS status, coalesce(q.attempts, t.attempts) AS attempts, t.next_attempt_at, "
      + "t.last_error, t.sent_at, t.delivered_at, t.read_at, t.created_at, t.updated_at "
      + "FROM touches t LEFT JOIN touch_queue q ON q.touch_id = t.id ";
  private static final String HISTORY = "SELECT status, at, detail, attempt, started_at FROM touch_history "
      + "WHERE touch_id = $1 ORDER BY id";
  private static final String CONTACT_EXISTS = "SELECT 1 FROM contacts WHERE id = $1";
  private static final String ID_BY_KEY = "SELECT id FROM touches WHERE touch_key = $1";

  /** Only a touch that has stopped trying goes back: a queued or sending one would be sent twice. */
  private static final String REQUEUE = "WITH requeued AS (UPDATE touches SET status = 'queued', attempts = 0, "
      + "next_attempt_at = now(), updated_at = now() WHERE id = $1 AND status IN ('dead', 'failed') "
      + "RETURNING id, priority), "
      + "queue AS (INSERT INTO touch_queue (touch_id, priority) SELECT id, priority FROM requeued), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, 'queued', 'requeued by ' || $2 "
      + "  FROM requeued) "
      + "SELECT * FROM requeued";

  private final Pool pool;
  private final Dispatcher dispatcher;

  public TouchService(Pool pool, Dispatcher dispatcher) {
    this.pool = pool;
    this.dispatcher = dispatcher;
  }

  /**
   * The latest touch first. Only the id: the send path keeps touches' updates heap-only, and an
   * index on a time that changes would end that; {@code created_at} is the id's order anyway.
   */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "t.id"));

  /** Filters are optional; every value is bound. */
  public Future<JsonObject> list(Long contactId, String status, String journeyKey, String activityId, Page page) {
    SqlParams p = new SqlParams();
    List<String> where = new ArrayList<>(List.of(page.after(p::add)));
    if (contactId != null) {
      where.add("t.contact_id = " + p.add(contactId));
    }
    if (status != null) {
      where.add(STATUS + " = " + p.add(status));
    }
    if (journeyKey != null) {
      where.add("t.journey_key = " + p.add(journeyKey));
    }
    if (activityId != null) {
      where.add("t.activity_id = " + p.add(activityId));
    }
    return pool.preparedQuery(SELECT + "WHERE " + String.join(" AND ", where) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /** One touch with every status it has been through, in order. */
  public Future<JsonObject> get(long id) {
    return pool.preparedQuery(SELECT + "WHERE t.id = $1").execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Touch " + id, RowJson::of))
        .compose(touch -> pool.preparedQuery(HISTORY).execute(Tuple.of(id))
            .map(rows -> touch.put("history", history(rows))));
  }

  private static final java.util.Set<String> SEND_FIELDS = java.util.Set.of("contact_id", "channel", "template", "kind", "data");

  /**
   * A one-off touch — a template's test send to a given contact, or any single message — through
   * the same outbox, policy and channels as a journey's. {@code key} (the request's Idempotency-Key)
   * makes a retried request one touch. Answers the touch, and whether this request made it.
   */
  public Future<JsonObject> send(JsonObject body, String key, String actor) {
    JsonArray errors = new JsonArray();
    body.fieldNames().stream().filter(f -> !SEND_FIELDS.contains(f))
        .forEach(f -> errors.add(Problem.fieldError(f, "is not a field of a touch")));
    Long contactId = JsonValues.positiveId(body.getValue("contact_id"));
    if (contactId == null) {
      errors.add(Problem.fieldError("contact_id", "must be a contact's id"));
    }
    for (String f : java.util.List.of("channel", "template")) {
      if (!(body.getValue(f) instanceof String v) || v.isBlank() || v.length() > 100) {
        errors.add(Problem.fieldError(f, "is required, 1 to 100 characters"));
      }
    }
    Object kind = body.getValue("kind", "transactional");
    if (!"marketing".equals(kind) && !"transactional".equals(kind)) {
      errors.add(Problem.fieldError("kind", "must be marketing or transactional"));
    }
    if (body.getValue("data") != null && !(body.getValue("data") instanceof JsonObject)) {
      errors.add(Problem.fieldError("data", "must be an object (the template's variables)"));
    }
    if (key != null) {
      JsonValues.key(key, "Idempotency-Key", 150, errors);
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(Problem.invalid(errors));
    }
    // data is optional: absent and null both mean no variables
    JsonObject data = body.getJsonObject("data");
    JsonObject payload = (data == null ? new JsonObject() : data.copy()).put("kind", kind).put("sent_by", actor);
    String touchKey = "api:" + (key == null ? java.util.UUID.randomUUID().toString() : key);
    TouchRequest request = new TouchRequest(touchKey, contactId, null, null, null, body.getString("channel"),
        body.getString("template"), payload.encode());
    return pool.preparedQuery(CONTACT_EXISTS).execute(Tuple.of(contactId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Problem.notFound("Contact " + contactId))
            : Outbox.enqueue(pool, request))
        .compose(created -> {
          dispatcher.wake();
          return pool.preparedQuery(ID_BY_KEY).execute(Tuple.of(touchKey))
              .compose(rows -> get(rows.iterator().next().getLong("id"))).map(t -> t.put("created", created));
        });
  }

  /** dead or failed → queued with its attempts reset, and the dispatcher woken; otherwise a 409. */
  public Future<JsonObject> requeue(long id, String actor) {
    return pool.preparedQuery(REQUEUE).execute(Tuple.of(id, actor))
        .compose(rows -> {
          if (rows.size() == 0) {
            return get(id).compose(t -> Future.failedFuture(Problem.conflict("Touch " + id + " is "
                + t.getString("status") + "; only dead or failed touches can be requeued", null)));
          }
          // answered as requeued, before the dispatcher may have claimed it again
          return get(id).onComplete(x -> dispatcher.wake());
        });
  }

  /**
   * The statuses a touch has been through, in order. An attempt's row is its result; the
   * 'sending' step before it is shown from the attempt's number and the time it was claimed.
   */
  private static io.vertx.core.json.JsonArray history(io.vertx.sqlclient.RowSet<Row> rows) {
    io.vertx.core.json.JsonArray history = new io.vertx.core.json.JsonArray();
    for (Row r : rows) {
      if (r.getOffsetDateTime("started_at") != null) {
        history.add(step("sending", r.getOffsetDateTime("started_at"), "attempt " + r.getInteger("attempt")));
      }
      history.add(step(r.getString("status"), r.getOffsetDateTime("at"), r.getString("detail")));
    }
    return history;
  }

  private static JsonObject step(String status, java.time.OffsetDateTime at, String detail) {
    return new JsonObject().put("status", status).put("at", Rows.instant(at)).put("detail", detail);
  }
}
