package io.siyu.loyalty.points;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The points ledger. Every change locks the contact's row first, so two changes to one member's
 * points run one after the other: two redeems of the same balance can never both succeed, and
 * the balance on the contact (which a CHECK keeps at zero or above) always equals the sum of its
 * open lots. Every change carries an idempotency key; a replay answers with the original entry.
 */
public final class PointsService {
  /** A ledger entry as the API shows it, in the order of its JSON: the idempotency key is its {@code key}. */
  private static final String COLUMNS = "id, contact_id, kind, points, remaining, expires_at, reason, "
      + "idempotency_key AS key, actor, created_at";
  private static final String INSERT_EARN = "INSERT INTO points_ledger (contact_id, kind, points, "
      + "remaining, expires_at, reason, idempotency_key, actor) VALUES ($1, 'earn', $2, $2, $3, $4, $5, $6) "
      + "RETURNING " + COLUMNS;
  private static final String INSERT_SPEND = "INSERT INTO points_ledger (contact_id, kind, points, reason, "
      + "idempotency_key, actor) VALUES ($1, 'spend', $2, $3, $4, $5) RETURNING " + COLUMNS;
  private static final String ENTRY_BY_KEY = "SELECT " + COLUMNS + " FROM points_ledger WHERE idempotency_key = $1";
  /** See {@link #lockContact}. */
  private static final String LOCK_CONTACT = "SELECT id FROM contacts WHERE id = $1 FOR NO KEY UPDATE";
  private static final String OPEN_LOTS = "SELECT id, remaining FROM points_ledger WHERE contact_id = $1 AND remaining > 0 "
      + "ORDER BY expires_at, id";
  private static final String SET_REMAINING = "UPDATE points_ledger l SET remaining = u.remaining FROM "
      + "unnest($1::bigint[], $2::int[]) AS u(id, remaining) WHERE l.id = u.id";
  private static final String ADD_TO_BALANCE = "UPDATE contacts SET points_balance = points_balance + $2, "
      + "updated_at = now() WHERE id = $1";
  private static final String SUMMARY = "SELECT c.id, coalesce(json_agg(json_build_object('points', l.remaining, "
      + "'expires_at', l.expires_at) ORDER BY l.expires_at, l.id) FILTER (WHERE l.id IS NOT NULL), '[]') AS lots, "
      + "coalesce(sum(l.remaining), 0)::int AS available FROM contacts c LEFT JOIN points_ledger l "
      + "ON l.contact_id = c.id AND l.remaining > 0 AND l.expires_at > now() WHERE c.id = $1 GROUP BY c.id";
  /** Followed by the page's conditions and order. */
  private static final String LEDGER_WHERE = "SELECT " + COLUMNS + " FROM points_ledger WHERE contact_id = $1 AND ";

  private final Pool pool;
  private final int validityMonths;

  public PointsService(Pool pool, int validityMonths) {
    this.pool = pool;
    this.validityMonths = validityMonths;
  }

  /** A ledger entry as stored, and whether this request wrote it or replayed it. */
  public record Entry(JsonObject entry, boolean replayed) {}

  /** Adds a lot of {@code points}, valid until {@code expiresAt} (default: the validity window). */
  public Future<Entry> earn(long contactId, PointsRequest req, String actor) {
    OffsetDateTime expires = req.expiresAt() != null ? req.expiresAt()
        : OffsetDateTime.now(ZoneOffset.UTC).plusMonths(validityMonths);
    return change(contactId, req, conn -> conn.preparedQuery(INSERT_EARN)
            .execute(Tuple.of(contactId, req.points(), expires, req.reason(), req.key(), actor))
            .compose(rows -> balance(conn, contactId, req.points()).map(rows.iterator().next())));
  }

  /** Spends {@code points} from the oldest open lots; 409 when the member has fewer. */
  public Future<Entry> redeem(long contactId, PointsRequest req, String actor) {
    return change(contactId, req, conn -> expireLots(conn, contactId)
        .compose(v -> openLots(conn, contactId))
        .compose(lots -> {
          int available = lots.stream().mapToInt(l -> l.getInteger("remaining")).sum();
          if (available < req.points()) {
            return Future.failedFuture(new Problem(409, "insufficient-points", "Insufficient points",
                "The member has " + available + " points, " + req.points() + " were asked for", null));
          }
          return consume(conn, lots, req.points())
              .compose(v -> conn.preparedQuery(INSERT_SPEND)
                  .execute(Tuple.of(contactId, -req.points(), req.reason(), req.key(), actor)))
              .compose(rows -> balance(conn, contactId, -req.points()).map(rows.iterator().next()));
        }));
  }

  /**
   * The common frame of a change: one transaction that locks the contact, answers a replayed key
   * with its original entry, and otherwise runs {@code write}.
   */
  private Future<Entry> change(long contactId, PointsRequest req,
      java.util.function.Function<SqlConnection, Future<Row>> write) {
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> lockContact(conn, contactId)
        .compose(v -> conn.preparedQuery(ENTRY_BY_KEY)
            .execute(Tuple.of(req.key())))
        .compose(existing -> {
          if (existing.size() > 0) {
            return Future.succeededFuture(replay(existing.iterator().next(), contactId, req));
          }
          return write.apply(conn).map(row -> new Entry(RowJson.of(row), false));
        })));
  }

  /** The same key must mean the same request; reusing it for something else is a conflict. */
  private static Entry replay(Row original, long contactId, PointsRequest req) {
    int signed = original.getString("kind").equals("earn") ? req.points() : -req.points();
    if (original.getLong("contact_id") != contactId || original.getInteger("points") != signed) {
      throw Problem.conflict("The key " + req.key() + " was already used for a different points change", null);
    }
    return new Entry(RowJson.of(original), true);
  }

  /**
   * Serialises points changes of one contact. NO KEY UPDATE is enough for that and, unlike FOR
   * UPDATE, does not wait for transactions that merely reference the contact (a foreign key takes
   * KEY SHARE): a journey awarding points in the transaction that enters the contact would
   * otherwise wait for itself.
   */
  private static Future<Void> lockContact(SqlConnection conn, long contactId) {
    return conn.preparedQuery(LOCK_CONTACT).execute(Tuple.of(contactId))
        .map(rows -> {
          Rows.first(rows, "Contact " + contactId);
          return null;
        });
  }

  private static Future<List<Row>> openLots(SqlConnection conn, long contactId) {
    return conn.preparedQuery(OPEN_LOTS)
        .execute(Tuple.of(contactId))
        .map(rows -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          return list;
        });
  }

  /** Takes {@code points} from the lots in order: the oldest-expiring points are spent first. */
  private static Future<Void> consume(SqlConnection conn, List<Row> lots, int points) {
    List<Long> ids = new ArrayList<>();
    List<Integer> remaining = new ArrayList<>();
    int left = points;
    for (Row lot : lots) {
      if (left == 0) {
        break;
      }
      int take = Math.min(left, lot.getInteger("remaining"));
      ids.add(lot.getLong("id"));
      remaining.add(lot.getInteger("remaining") - take);
      left -= take;
    }
    return conn.preparedQuery(SET_REMAINING)
        .execute(Tuple.tuple().addValue(ids.toArray(Long[]::new)).addValue(remaining.toArray(Integer[]::new)))
        .mapEmpty();
  }

  private static Future<Void> balance(SqlConnection conn, long contactId, int delta) {
    return conn.preparedQuery(ADD_TO_BALANCE)
        .execute(Tuple.of(contactId, delta)).mapEmpty();
  }

  /** Expires this contact's overdue lots inside a change, so a redeem never spends expired points. */
  private static Future<Void> expireLots(SqlConnection conn, long contactId) {
    return conn.preparedQuery(PointsExpiry.expireSql(" AND l.contact_id = $1")).execute(Tuple.of(contactId)).mapEmpty();
  }

  /**
   * What the member can spend now, and the open lots behind it, soonest to expire first. Lots past
   * their expiry count for nothing here even before the daily run has written them off (the
   * {@code points_balance} kept on the contact follows at that run).
   */
  public Future<JsonObject> summary(long contactId) {
    return pool.preparedQuery(SUMMARY)
        .execute(Tuple.of(contactId))
        .map(rows -> {
          Row r = Rows.first(rows, "Contact " + contactId);
          Object lots = r.getValue("lots");
          return new JsonObject().put("contact_id", contactId).put("balance", r.getInteger("available"))
              .put("lots", lots instanceof JsonArray a ? a : new JsonArray(String.valueOf(lots)));
        });
  }

  /** The ledger, latest entry first. */
  static final Sorts LEDGER_SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  public Future<JsonObject> ledger(long contactId, Page page) {
    SqlParams p = SqlParams.startingWith(contactId);
    return pool.preparedQuery(LEDGER_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }
}
