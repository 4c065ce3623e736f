package io.siyu.loyalty.rights;

import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.db.Table;
import io.siyu.web.Page;
import io.siyu.web.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rights (权益): the catalogue, and granting, redeeming and expiring them per contact.
 *
 * <p>A grant is idempotent by its {@code grant_key}, takes one unit of a limited stock in the same
 * transaction that records it (so stock is never oversold and a replay never takes a second one),
 * and every change of a grant appends its event ({@code right.granted}, {@code right.redeemed},
 * {@code right.expired}) in the same statement. A right with {@code tiers} goes only to members
 * of those tiers.
 */
public final class RightService {
  private static final String COLUMNS =
      "id, code, name, type, value, validity_days, tiers, stock, description, created_at, updated_at, retired_at";

  /** A grant past its expiry reads as expired even before the expiry step has marked it. */
  private static final String GRANT_COLUMNS = "id, contact_id, right_code, "
      + "CASE WHEN state = 'granted' AND expires_at <= now() THEN 'expired' ELSE state END AS state, "
      + "granted_at, expires_at, redeemed_at, reason, grant_key, granted_by";

  /**
   * Takes one unit of the right when its stock is limited. The conditional UPDATE is what keeps
   * concurrent grants from overselling: each waits for the row and re-checks {@code stock > 0}.
   * Unlimited rights are only read, so their grants do not queue on one row.
   */
  private static final String TAKE_ONE = "WITH r AS (SELECT validity_days, stock, retired_at FROM rights WHERE code = $1), "
      + "taken AS (UPDATE rights SET stock = stock - 1 WHERE code = $1 AND retired_at IS NULL AND stock > 0 RETURNING 1) "
      + "SELECT r.validity_days, r.retired_at IS NOT NULL AS retired, "
      + "  (r.stock IS NULL OR EXISTS (SELECT 1 FROM taken)) AS available FROM r";

  /** A plain INSERT: losing a grant_key race fails the transaction, which gives back the stock. */
  private static final String GRANT = logging("right.granted",
      "INSERT INTO right_grants (contact_id, right_code, expires_at, reason, grant_key, granted_by) "
          + "VALUES ($1, $2, now() + make_interval(days => $3), $4, $5, $6) RETURNING " + GRANT_COLUMNS)
      + "SELECT * FROM changed";

  private static final String REDEEM = logging("right.redeemed",
      "UPDATE right_grants SET state = 'redeemed', redeemed_at = now() "
          + "WHERE id = $1 AND contact_id = $2 AND state = 'granted' AND expires_at > now() RETURNING " + GRANT_COLUMNS)
      + "SELECT * FROM changed";

  private static final String EXPIRE = logging("right.expired",
      "UPDATE right_grants SET state = 'expired' WHERE state = 'granted' AND expires_at <= now() "
          + "RETURNING id, contact_id, right_code")
      + "SELECT count(*) AS expired FROM changed";

  private final Pool pool;
  private final Table table;

  public RightService(Pool pool) {
    this.pool = pool;
    this.table = new Table(pool, "rights", COLUMNS, "Right", RightService::right);
  }

  /**
   * Wraps {@code change} (a statement on grants returning at least id, contact_id, right_code) so
   * each grant it changes appends an event in the same statement. The key names the grant, so
   * logging the same change twice keeps one event. {@code type} is always a constant of this class.
   */
  private static String logging(String type, String change) {
    return "WITH changed AS (" + change + "), logged AS ("
        + "INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
        + "SELECT '" + type + ":' || id, contact_id, '" + type + "', now(), "
        + "jsonb_build_object('right_code', right_code, 'grant_id', id), 'rights' FROM changed "
        + "ON CONFLICT (event_key) DO NOTHING) ";
  }

  // ---- catalogue ----------------------------------------------------------------------------

  public Future<JsonObject> create(JsonObject body) {
    Map<String, Object> fields = RightFields.parse(body, true);
    SqlParams p = new SqlParams();
    List<String> placeholders = new ArrayList<>();
    fields.values().forEach(v -> placeholders.add(p.add(v)));
    return pool.preparedQuery("INSERT INTO rights (" + String.join(", ", fields.keySet()) + ") VALUES ("
            + String.join(", ", placeholders) + ") RETURNING " + COLUMNS)
        .execute(p.tuple())
        .map(rows -> right(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A right with code " + fields.get("code") + " already exists"));
  }

  public Future<JsonObject> get(long id) {
    return table.get(id);
  }

  public Future<JsonObject> list(Page page) {
    return table.page(page);
  }

  /**
   * Sets only the fields sent: writing back a stock read earlier would undo the grants made in
   * between. New validity applies to later grants only.
   */
  public Future<JsonObject> update(long id, JsonObject body) {
    Map<String, Object> fields = RightFields.parse(body, false);
    SqlParams p = SqlParams.startingWith(id);
    List<String> sets = new ArrayList<>();
    fields.forEach((column, value) -> sets.add(column + " = " + p.add(value)));
    sets.add("updated_at = now()");
    return pool.preparedQuery("UPDATE rights SET " + String.join(", ", sets) + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(p.tuple())
        .map(rows -> Rows.one(rows, "Right " + id, RightService::right));
  }

  /** Soft: the right and its grants stay readable, it just cannot be granted any more. */
  public Future<JsonObject> retire(long id) {
    return pool.preparedQuery("UPDATE rights SET retired_at = coalesce(retired_at, now()), updated_at = now() "
            + "WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Right " + id, RightService::right));
  }

  // ---- grants -------------------------------------------------------------------------------

  /** A grant and whether this call made it ({@code false}: a replay of its grant_key). */
  public record Granted(JsonObject grant, boolean isNew) {}

  /**
   * Grants the right to the contact once per grant_key. Two first-time calls with the same key race
   * on its unique index; the loser's transaction rolls back (stock included) and its retry finds the
   * winner's grant.
   */
  public Future<Granted> grant(long contactId, JsonObject body, String actor) {
    GrantRequest req = GrantRequest.parse(body);
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> byKey(conn, req.grantKey())
        .compose(original -> original != null
            ? Future.succeededFuture(new Granted(sameRequest(original, contactId, req), false))
            : lockContact(conn, contactId)
                .compose(tier -> checkTier(conn, req.right(), tier))
                .compose(v -> takeOne(conn, req.right()))
                .compose(validityDays -> conn.preparedQuery(GRANT).execute(Tuple.of(contactId, req.right(),
                    validityDays, req.reason(), req.grantKey(), actor)))
                .map(rows -> new Granted(grant(rows.iterator().next()), true)))));
  }

  private static Future<JsonObject> byKey(SqlConnection conn, String grantKey) {
    return conn.preparedQuery("SELECT " + GRANT_COLUMNS + " FROM right_grants WHERE grant_key = $1")
        .execute(Tuple.of(grantKey))
        .map(rows -> rows.size() == 0 ? null : grant(rows.iterator().next()));
  }

  /** A key reused for another contact or right is a caller's bug, not a replay. */
  private static JsonObject sameRequest(JsonObject original, long contactId, GrantRequest req) {
    if (original.getLong("contact_id") != contactId || !original.getString("right_code").equals(req.right())) {
      throw Problem.conflict("grant_key " + req.grantKey() + " was already used to grant "
          + original.getString("right_code") + " to contact " + original.getLong("contact_id"), null);
    }
    return original;
  }

  /**
   * Holds the contact until commit, so it cannot be deleted between this check and the insert;
   * answers its tier.
   */
  private static Future<String> lockContact(SqlConnection conn, long contactId) {
    return conn.preparedQuery("SELECT tier FROM contacts WHERE id = $1 FOR KEY SHARE").execute(Tuple.of(contactId))
        .map(rows -> Rows.first(rows, "Contact " + contactId).getString("tier"));
  }

  /** A right limited to some tiers goes only to members of those tiers (checked before stock is taken). */
  private static Future<Void> checkTier(SqlConnection conn, String code, String tier) {
    return conn.preparedQuery("SELECT tiers FROM rights WHERE code = $1").execute(Tuple.of(code)).map(rows -> {
      String[] tiers = rows.size() == 0 ? null : rows.iterator().next().getArrayOfStrings("tiers");
      if (tiers != null && !java.util.Arrays.asList(tiers).contains(tier)) {
        throw new Problem(409, "not-eligible", "Not eligible", "Right " + code + " is for " + String.join(", ", tiers)
            + " members; this member is " + tier, null);
      }
      return null;
    });
  }

  /** Takes one unit of stock and answers the right's validity in days. */
  private static Future<Integer> takeOne(SqlConnection conn, String code) {
    return conn.preparedQuery(TAKE_ONE).execute(Tuple.of(code)).map(rows -> {
      if (rows.size() == 0 || rows.iterator().next().getBoolean("retired")) {
        throw Problem.invalid("right", rows.size() == 0 ? "names no right" : "names a retired right");
      }
      Row r = rows.iterator().next();
      if (!r.getBoolean("available")) {
        throw new Problem(409, "out-of-stock", "Out of stock", "Right " + code + " is out of stock", null);
      }
      return r.getInteger("validity_days");
    });
  }

  /** The contact's grants, newest first (the cursor walks down the ids). */
  public Future<JsonObject> ofContact(long contactId, Page page) {
    return pool.preparedQuery("SELECT " + GRANT_COLUMNS + " FROM right_grants "
            + "WHERE contact_id = $1 AND ($2::bigint = 0 OR id < $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(contactId, page.afterId(), page.fetchSize()))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(page.wrap(Rows.array(rows, RightService::grant)))
            : pool.preparedQuery("SELECT 1 FROM contacts WHERE id = $1").execute(Tuple.of(contactId))
                .map(c -> {
                  Rows.first(c, "Contact " + contactId);
                  return page.wrap(new JsonArray());
                }));
  }

  public Future<JsonObject> getGrant(long contactId, long grantId) {
    return pool.preparedQuery("SELECT " + GRANT_COLUMNS + " FROM right_grants WHERE id = $1 AND contact_id = $2")
        .execute(Tuple.of(grantId, contactId))
        .map(rows -> Rows.one(rows, "Grant " + grantId + " of contact " + contactId, RightService::grant));
  }

  /** granted → redeemed, once, and only before it expires; otherwise a 409 saying why. */
  public Future<JsonObject> redeem(long contactId, long grantId) {
    return pool.preparedQuery(REDEEM).execute(Tuple.of(grantId, contactId))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(grant(rows.iterator().next()))
            : getGrant(contactId, grantId).compose(g -> Future.failedFuture(notRedeemable(g))));
  }

  private static Problem notRedeemable(JsonObject g) {
    String id = "Grant " + g.getLong("id");
    return Problem.conflict("redeemed".equals(g.getString("state"))
        ? id + " was already redeemed at " + g.getString("redeemed_at")
        : id + " expired at " + g.getString("expires_at") + " and can no longer be redeemed", null);
  }

  /**
   * Marks every overdue open grant expired, set-wise, and answers how many. Safe to run anywhere
   * at any time: a grant already marked is not matched again. The scheduler calls this too.
   */
  public Future<Long> expire() {
    return pool.preparedQuery(EXPIRE).execute().map(rows -> rows.iterator().next().getLong("expired"));
  }

  // ---- rows ---------------------------------------------------------------------------------

  private static JsonObject right(Row r) {
    String[] tiers = r.getArrayOfStrings("tiers");
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("code", r.getString("code"))
        .put("name", r.getString("name"))
        .put("type", r.getString("type"))
        .put("value", r.getBigDecimal("value"))
        .put("validity_days", r.getInteger("validity_days"))
        .put("tiers", tiers == null ? null : new JsonArray(List.of(tiers)))
        .put("stock", r.getInteger("stock"))
        .put("description", r.getString("description"))
        .put("created_at", Rows.instant(r.getOffsetDateTime("created_at")))
        .put("updated_at", Rows.instant(r.getOffsetDateTime("updated_at")))
        .put("retired_at", Rows.instant(r.getOffsetDateTime("retired_at")));
  }

  private static JsonObject grant(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("contact_id", r.getLong("contact_id"))
        .put("right_code", r.getString("right_code"))
        .put("state", r.getString("state"))
        .put("granted_at", Rows.instant(r.getOffsetDateTime("granted_at")))
        .put("expires_at", Rows.instant(r.getOffsetDateTime("expires_at")))
        .put("redeemed_at", Rows.instant(r.getOffsetDateTime("redeemed_at")))
        .put("reason", r.getString("reason"))
        .put("grant_key", r.getString("grant_key"))
        .put("granted_by", r.getString("granted_by"));
  }
}
