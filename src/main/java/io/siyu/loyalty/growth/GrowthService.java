package io.siyu.loyalty.growth;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Growth value and tiers. New events add growth by the rules of their type (one ledger entry per
 * event, so a replay adds nothing), and a member moves up as soon as a threshold is crossed. The
 * review (yearly by default, run by the scheduler or an admin) sets each member's growth value to
 * what they earned in the last 12 months and their tier to what that value keeps, which is where
 * downgrades happen. Every tier change is a {@code tier.upgraded} / {@code tier.downgraded} event.
 */
public final class GrowthService {
  /** The tier table as rows: name, threshold, rank (1 = lowest). */
  private static final String TIERS = "t AS (SELECT * FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS t(name, threshold, rank))";

  /**
   * One statement for newly stored events: growth by rule into the ledger (once per event), added
   * to each earner's value, and the earner moved up to the highest tier the new value reaches (never
   * down). Only earners can move: growth is the only thing that rises between reviews. The caller
   * holds the contacts' row locks, so this statement's snapshot already has their latest values.
   */
  private static final String EARN = "WITH " + TIERS + ", "
      + "r AS (SELECT * FROM unnest($4::text[], $5::int[], $6::text[]) AS r(type, fixed, per_yuan)), "
      // growth.awarded (a journey's "award growth" step) carries its own amount
      + "g AS (SELECT e.id, e.contact_id, e.type, "
      + "  (coalesce(r.fixed, 0) + floor(coalesce(e.amount, 0) * coalesce(r.per_yuan::numeric, 0)) "
      + "   + CASE WHEN e.type = 'growth.awarded' AND e.properties->>'growth' ~ '^[0-9]{1,9}$' "
      + "     THEN (e.properties->>'growth')::int ELSE 0 END)::int AS points "
      + "  FROM events e LEFT JOIN r ON r.type = e.type WHERE e.id = ANY($1::bigint[])), "
      + "ins AS (INSERT INTO growth_ledger (contact_id, event_id, event_type, points) "
      + "  SELECT contact_id, id, type, points FROM g WHERE points > 0 ON CONFLICT (event_id) DO NOTHING "
      + "  RETURNING contact_id, points), "
      + "sums AS (SELECT contact_id, sum(points)::int AS s FROM ins GROUP BY contact_id), "
      + "x AS (SELECT c.id, c.tier AS old, sums.s, (SELECT t.name FROM t WHERE t.threshold <= c.growth_value + sums.s "
      + "  ORDER BY t.threshold DESC LIMIT 1) AS new FROM contacts c JOIN sums ON sums.contact_id = c.id), "
      + "ranked AS (SELECT x.*, (SELECT rank FROM t WHERE t.name = x.old) AS old_rank, "
      + "  (SELECT rank FROM t WHERE t.name = x.new) AS new_rank FROM x), "
      + "earned AS (UPDATE contacts c SET growth_value = c.growth_value + r.s, "
      + "    tier = CASE WHEN r.new_rank > coalesce(r.old_rank, 0) THEN r.new ELSE c.tier END, "
      + "    tier_since = CASE WHEN r.new_rank > coalesce(r.old_rank, 0) THEN now() ELSE c.tier_since END, "
      + "    updated_at = now() FROM ranked r WHERE c.id = r.id "
      + "  RETURNING c.id, r.old, r.new, r.new_rank > coalesce(r.old_rank, 0) AS up), "
      + "moved AS (SELECT id, old, new, 'tier.upgraded' AS type FROM earned WHERE up), "
      + logged("moved")
      + "SELECT count(*) AS n FROM moved";

  private static final String REVIEW = "WITH " + TIERS + ", "
      + "earned AS (SELECT c.id, c.tier AS old, coalesce((SELECT sum(g.points) FROM growth_ledger g "
      + "  WHERE g.contact_id = c.id AND g.created_at > now() - make_interval(months => $1::int)), 0)::int AS value "
      + "  FROM contacts c), "
      + "x AS (SELECT tr.*, (SELECT t.name FROM t WHERE t.threshold <= tr.value ORDER BY t.threshold DESC LIMIT 1) AS new "
      + "  FROM earned tr), "
      + "ranked AS (SELECT x.*, coalesce((SELECT rank FROM t WHERE t.name = x.old), 0) AS old_rank, "
      + "  (SELECT rank FROM t WHERE t.name = x.new) AS new_rank FROM x), "
      + "updated AS (UPDATE contacts c SET growth_value = r.value, tier = r.new, "
      + "  tier_since = CASE WHEN r.new <> r.old THEN now() ELSE c.tier_since END, updated_at = now() FROM ranked r "
      + "  WHERE c.id = r.id AND (c.growth_value <> r.value OR c.tier <> r.new) "
      + "  RETURNING c.id, r.old, r.new, CASE WHEN r.new_rank < r.old_rank THEN 'tier.downgraded' ELSE 'tier.upgraded' END AS type), "
      + "moved AS (SELECT * FROM updated WHERE old <> new), "
      + logged("moved")
      + "SELECT (SELECT count(*) FROM updated) AS reviewed, "
      + "  (SELECT count(*) FROM moved WHERE type = 'tier.downgraded') AS downgraded, "
      + "  (SELECT count(*) FROM moved WHERE type = 'tier.upgraded') AS upgraded";

  /**
   * Followed by the page's conditions and order. An entry's {@code event_id} is the sender's id of
   * the event that earned it.
   */
  private static final String HISTORY_WHERE = "SELECT g.id, g.points, g.event_type, e.event_key AS event_id, g.created_at "
      + "FROM growth_ledger g LEFT JOIN events e ON e.id = g.event_id "
      + "WHERE g.contact_id = $1 AND ";

  /** Appends one event per tier change in {@code source} (rows of id, old, new, type). */
  private static String logged(String source) {
    return "logged AS (INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
        + "SELECT type || ':' || id || ':' || txid_current(), id, type, now(), "
        + "jsonb_build_object('from', old, 'to', new), 'siyu' FROM " + source + " ON CONFLICT (event_key) DO NOTHING) ";
  }

  private final Pool pool;
  private final GrowthRules rules;
  private final int reviewMonths;

  public GrowthService(Pool pool, GrowthRules rules, int reviewMonths) {
    this.pool = pool;
    this.rules = rules;
    this.reviewMonths = reviewMonths;
  }

  /** Inside event ingestion's transaction: growth for the newly stored events, and upgrades. */
  public Future<Void> apply(SqlClient conn, Long[] eventIds) {
    return conn.preparedQuery(EARN)
        .execute(Tuple.tuple().addValue(eventIds).addValue(rules.tierNames()).addValue(rules.tierThresholds())
            .addValue(rules.ruleTypes()).addValue(rules.ruleFixed()).addValue(rules.rulePerYuan()))
        .mapEmpty();
  }

  /** The review over every contact; answers how many changed and moved down or up. */
  public Future<JsonObject> review() {
    return pool.withTransaction(conn -> conn.preparedQuery(REVIEW)
            .execute(Tuple.of(reviewMonths, rules.tierNames(), rules.tierThresholds())))
        .map(rows -> RowJson.of(rows.iterator().next()));
  }

  /** A contact's growth entries, the latest first. */
  static final Sorts HISTORY_SORTS = Sorts.of("-id", Sorts.number("id", "g.id"));

  public Future<JsonObject> history(long contactId, Page page) {
    SqlParams p = SqlParams.startingWith(contactId);
    return pool.preparedQuery(HISTORY_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  public GrowthRules rules() {
    return rules;
  }
}
