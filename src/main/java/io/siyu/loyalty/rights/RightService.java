package io.siyu.loyalty.rights;

import io.siyu.db.JdbcSql;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.db.Table;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.SQLException;
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
  /** A right as the API shows it, in the order of its JSON. */
  private static final String COLUMNS =
      "id, code, name, type, value, validity_days, tiers, stock, description, created_at, updated_at, retired_at";

  /** A grant past its expiry reads as expired even before the expiry step has marked it. */
  private static final String GRANT_COLUMNS = "id, contact_id, right_code, "
      + "CASE WHEN state = 'granted' AND expires_at <= now() THEN 'expired' ELSE state END AS state, "
      + "granted_at, expires_at, redeemed_at, reason, grant_key, granted_by";

  /**
   * A whole grant in one statement, so that the API (on the Vert.x pool) and a journey step (inside
   * the engine's JDBC transaction, {@link JdbcSql}) run the same text. Parameters: contact, right
   * code, reason, grant key, actor.
   *
   * <p>{@code verdict} says what happened: {@code earlier} (the key was used before: that grant is
   * answered), {@code granted}, or why not — {@code no-contact}, {@code not-eligible} (the right is
   * for other tiers), {@code no-right}, {@code retired}, {@code out-of-stock}. The contact is held
   * (KEY SHARE) until commit, so it cannot be deleted between the check and the insert. A limited
   * stock is taken by a conditional UPDATE: concurrent grants wait for the row and re-check
   * {@code stock > 0}, so it is never oversold; unlimited rights are only read, so their grants do
   * not queue on one row. Two first-time grants with one key race on its unique index; the loser
   * fails (its stock given back with its transaction) and a retry finds the winner's grant.
   */
  private static final String GRANT = "WITH earlier AS (SELECT " + GRANT_COLUMNS + " FROM right_grants WHERE grant_key = $4), "
      + "member AS (SELECT tier FROM contacts WHERE id = $1 FOR KEY SHARE), "
      + "r AS (SELECT validity_days, stock, tiers, retired_at FROM rights WHERE code = $2), "
      + "verdict AS (SELECT CASE "
      + "  WHEN EXISTS (SELECT 1 FROM earlier) THEN 'earlier' "
      + "  WHEN NOT EXISTS (SELECT 1 FROM member) THEN 'no-contact' "
      + "  WHEN EXISTS (SELECT 1 FROM r, member WHERE r.tiers IS NOT NULL "
      + "    AND NOT coalesce(member.tier = ANY (r.tiers), false)) THEN 'not-eligible' "
      + "  WHEN NOT EXISTS (SELECT 1 FROM r) THEN 'no-right' "
      + "  WHEN EXISTS (SELECT 1 FROM r WHERE retired_at IS NOT NULL) THEN 'retired' "
      + "  ELSE 'grant' END AS v), "
      + "taken AS (UPDATE rights SET stock = stock - 1 WHERE code = $2 AND retired_at IS NULL AND stock > 0 "
      + "  AND (SELECT v FROM verdict) = 'grant' RETURNING 1), "
      + "changed AS (INSERT INTO right_grants (contact_id, right_code, expires_at, reason, grant_key, granted_by) "
      + "  SELECT $1, $2, now() + make_interval(days => r.validity_days), $3::text, $4, $5::text FROM r "
      + "  WHERE (SELECT v FROM verdict) = 'grant' AND (r.stock IS NULL OR EXISTS (SELECT 1 FROM taken)) "
      + "  RETURNING " + GRANT_COLUMNS + "), "
      + logged("right.granted")
      + "SELECT CASE WHEN v = 'earlier' THEN 'earlier' WHEN g.id IS NOT NULL THEN 'granted' WHEN v = 'grant' THEN 'out-of-stock' "
      + "  ELSE v END AS verdict, (SELECT tiers FROM r) AS tiers, (SELECT tier FROM member) AS tier, g.* "
      + "FROM verdict LEFT JOIN (SELECT * FROM changed UNION ALL SELECT * FROM earlier) g ON true";

  private static final String REDEEM = "WITH changed AS (UPDATE right_grants SET state = 'redeemed', redeemed_at = now() "
      + "WHERE id = $1 AND contact_id = $2 AND state = 'granted' AND expires_at > now() RETURNING " + GRANT_COLUMNS + "), "
      + logged("right.redeemed") + "SELECT * FROM changed";

  /** What {@link #GRANT} answers beside the grant. */
  private static final String[] GRANT_VERDICT = {"verdict", "tiers", "tier"};

  private static final String EXPIRE = "WITH changed AS (UPDATE right_grants SET state = 'expired' "
      + "WHERE state = 'granted' AND expires_at <= now() RETURNING id, contact_id, right_code), "
      + logged("right.expired") + "SELECT count(*) AS expired FROM changed";
  private static final String RETIRE = "UPDATE rights SET retired_at = coalesce(retired_at, now()), updated_at = now() "
      + "WHERE id = $1 RETURNING " + COLUMNS;
  /** Followed by the page's conditions and order. */
  private static final String GRANTS_OF_CONTACT_WHERE = "SELECT " + GRANT_COLUMNS + " FROM right_grants "
      + "WHERE contact_id = $1 AND ";
  private static final String CONTACT_EXISTS = "SELECT 1 FROM contacts WHERE id = $1";
  private static final String GRANT_OF_CONTACT = "SELECT " + GRANT_COLUMNS
      + " FROM right_grants WHERE id = $1 AND contact_id = $2";

  private final Pool pool;
  private final Table table;

  public RightService(Pool pool) {
    this.pool = pool;
    this.table = new Table(pool, "rights", COLUMNS, "Right", RowJson::of);
  }

  /**
   * The CTE that appends an event for each grant the {@code changed} CTE (returning at least id,
   * contact_id, right_code) changed, in the same statement. The key names the grant, so logging
   * the same change twice keeps one event. {@code type} is always a constant of this class.
   */
  private static String logged(String type) {
    return "logged AS ("
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
        .map(rows -> RowJson.of(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A right with code " + fields.get("code") + " already exists"));
  }

  public Future<JsonObject> get(long id) {
    return table.get(id);
  }

  /** The catalogue by code unless asked otherwise. */
  static final Sorts SORTS = Sorts.of("code", Sorts.number("id", "id"), Sorts.text("code", "code"),
      Sorts.text("name", "name"));
  /** A contact's grants, the latest first. */
  static final Sorts GRANT_SORTS = Sorts.of("-id", Sorts.number("id", "id"));

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
        .map(rows -> Rows.one(rows, "Right " + id, RowJson::of));
  }

  /** Soft: the right and its grants stay readable, it just cannot be granted any more. */
  public Future<JsonObject> retire(long id) {
    return pool.preparedQuery(RETIRE)
        .execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Right " + id, RowJson::of));
  }

  // ---- grants -------------------------------------------------------------------------------

  /** A grant and whether this call made it ({@code false}: a replay of its grant_key). */
  public record Granted(JsonObject grant, boolean isNew) {}

  /** Grants the right to the contact once per grant_key (see {@link #GRANT}). */
  public Future<Granted> grant(long contactId, JsonObject body, String actor) {
    GrantRequest req = GrantRequest.parse(body);
    return Rows.retryingRaces(() -> pool.preparedQuery(GRANT)
        .execute(Tuple.of(contactId, req.right(), req.reason(), req.grantKey(), actor))
        .map(rows -> {
          Row r = rows.iterator().next();
          String[] tiers = r.getArrayOfStrings("tiers");
          Verdict v = new Verdict(r.getString("verdict"), tiers == null ? null : List.of(tiers), r.getString("tier"),
              r.getLong("contact_id"), r.getString("right_code"));
          v.check(contactId, req);
          return new Granted(RowJson.except(r, GRANT_VERDICT), v.verdict().equals("granted"));
        }));
  }

  /**
   * Blocking: the same grant on a JDBC connection, inside its current transaction (a journey step's),
   * so the grant commits exactly when the step does. Answers the grant's id; a refusal is thrown
   * as the same problem the API answers.
   */
  public static long grant(Connection jdbc, long contactId, JsonObject body, String actor) throws SQLException {
    GrantRequest req = GrantRequest.parse(body);
    Map<String, Object> r = JdbcSql.query(jdbc, GRANT, contactId, req.right(), req.reason(), req.grantKey(), actor).get(0);
    Object tiers = r.get("tiers") == null ? null : ((java.sql.Array) r.get("tiers")).getArray();
    new Verdict((String) r.get("verdict"), tiers == null ? null : List.of((String[]) tiers), (String) r.get("tier"),
        (Long) r.get("contact_id"), (String) r.get("right_code")).check(contactId, req);
    return (Long) r.get("id");
  }

  /** What {@link #GRANT} answered, as read by either driver. */
  private record Verdict(String verdict, List<String> tiers, String tier, Long grantContactId, String grantRight) {
    /** Throws the problem a refused grant, or a key used before for another grant, is. */
    void check(long contactId, GrantRequest req) {
      switch (verdict) {
        case "granted" -> { }
        case "earlier" -> sameRequest(contactId, req);
        case "no-contact" -> throw Problem.notFound("Contact " + contactId);
        case "not-eligible" -> throw new Problem(409, "not-eligible", "Not eligible", "Right " + req.right() + " is for "
            + String.join(", ", tiers) + " members; this member is " + tier, null);
        case "no-right" -> throw Problem.invalid("right", "names no right");
        case "retired" -> throw Problem.invalid("right", "names a retired right");
        case "out-of-stock" -> throw new Problem(409, "out-of-stock", "Out of stock", "Right " + req.right() + " is out of stock", null);
        default -> throw new IllegalStateException("unknown grant verdict " + verdict);
      }
    }

    /** A key reused for another contact or right is a caller's bug, not a replay. */
    private void sameRequest(long contactId, GrantRequest req) {
      if (grantContactId != contactId || !grantRight.equals(req.right())) {
        throw Problem.conflict("grant_key " + req.grantKey() + " was already used to grant " + grantRight
            + " to contact " + grantContactId, null);
      }
    }
  }

  /** A page of the contact's grants. */
  public Future<JsonObject> ofContact(long contactId, Page page) {
    SqlParams p = SqlParams.startingWith(contactId);
    return pool.preparedQuery(GRANTS_OF_CONTACT_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(page.wrap(Rows.array(rows, RowJson::of)))
            : pool.preparedQuery(CONTACT_EXISTS).execute(Tuple.of(contactId))
                .map(c -> {
                  Rows.first(c, "Contact " + contactId);
                  return page.wrap(new JsonArray());
                }));
  }

  public Future<JsonObject> getGrant(long contactId, long grantId) {
    return pool.preparedQuery(GRANT_OF_CONTACT)
        .execute(Tuple.of(grantId, contactId))
        .map(rows -> Rows.one(rows, "Grant " + grantId + " of contact " + contactId, RowJson::of));
  }

  /** granted → redeemed, once, and only before it expires; otherwise a 409 saying why. */
  public Future<JsonObject> redeem(long contactId, long grantId) {
    return pool.preparedQuery(REDEEM).execute(Tuple.of(grantId, contactId))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(RowJson.of(rows.iterator().next()))
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
}
