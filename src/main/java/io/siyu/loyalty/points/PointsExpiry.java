package io.siyu.loyalty.points;

import io.siyu.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Points expiry, set-wise: every open lot whose time has come is zeroed, an {@code expire} entry
 * records what it took, and the balances drop by the same amounts — one statement. Lots about
 * to expire get one {@code points.expiring} event each, which journeys turn into reminders. The
 * scheduler will call {@link #run}; an admin can call it through the API.
 */
public final class PointsExpiry {
  /**
   * {@code now()} is fixed for a transaction, so every statement of a run sees the same due lots.
   * The lots and balances are reached through their ids ({@code = ANY}): the planner cannot tell
   * how few open lots are due (it sees many past expiry dates, most on closed lots), and a join
   * would scan the whole ledger and every contact for a day's few thousand lots.
   */
  static String expireSql(String which) {
    return "WITH due AS (SELECT l.id, l.contact_id, l.remaining FROM points_ledger l "
        + "  WHERE l.remaining > 0 AND l.expires_at <= now()" + which + "), "
        + "zeroed AS (UPDATE points_ledger l SET remaining = 0 WHERE l.id = ANY (ARRAY(SELECT id FROM due))), "
        + "logged AS (INSERT INTO points_ledger (contact_id, kind, points, reason, idempotency_key, actor) "
        + "  SELECT contact_id, 'expire', -remaining, 'expired', 'expire:' || id, 'system:expiry' FROM due), "
        + "balances AS (UPDATE contacts c SET points_balance = c.points_balance - s.total, updated_at = now() "
        + "  FROM (SELECT contact_id, sum(remaining)::int AS total FROM due GROUP BY contact_id) s "
        + "  WHERE c.id = ANY (ARRAY(SELECT contact_id FROM due)) AND c.id = s.contact_id) "
        + "SELECT count(*) AS lots, coalesce(sum(remaining), 0)::bigint AS points FROM due";
  }

  /**
   * Every change of a contact's points locks the contact first (NO KEY UPDATE, as PointsService
   * does), in id order so two runs, or a run and event ingestion, queue instead of deadlocking;
   * through the ids of the due lots' contacts, for the same reason as above.
   */
  private static final String LOCK_CONTACTS = "SELECT id FROM contacts WHERE id = ANY (ARRAY(SELECT contact_id "
      + "FROM points_ledger WHERE remaining > 0 AND expires_at <= now())) ORDER BY id FOR NO KEY UPDATE";

  private static final String NOTICES = "WITH soon AS (UPDATE points_ledger l SET expiry_noticed = true "
      + "  WHERE l.remaining > 0 AND NOT l.expiry_noticed AND l.expires_at > now() "
      + "  AND l.expires_at <= now() + make_interval(days => $1::int) "
      + "  RETURNING l.id, l.contact_id, l.remaining, l.expires_at) "
      + "INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "SELECT 'points.expiring:' || id, contact_id, 'points.expiring', now(), "
      + "  jsonb_build_object('points', remaining, 'expires_at', expires_at, 'lot_id', id), 'siyu' FROM soon "
      + "ON CONFLICT (event_key) DO NOTHING";

  private final Pool pool;
  private final int noticeDays;

  public PointsExpiry(Pool pool, int noticeDays) {
    this.pool = pool;
    this.noticeDays = noticeDays;
  }

  /** Expires what is due and announces what expires within the notice window. */
  public Future<JsonObject> run() {
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> conn.query(LOCK_CONTACTS).execute()
        .compose(locked -> expire(conn))
        .compose(expired -> conn.preparedQuery(NOTICES).execute(Tuple.of(noticeDays))
            .map(notices -> expired.put("notices", notices.rowCount())))));
  }

  private static Future<JsonObject> expire(SqlConnection conn) {
    return conn.query(expireSql("")).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new JsonObject().put("expired_lots", r.getLong("lots")).put("expired_points", r.getLong("points"));
    });
  }
}
