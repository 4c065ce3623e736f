package io.siyu.loyalty.lifecycle;

import io.siyu.db.SqlParams;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * The lifecycle stage of a contact, computed from its aggregates and the clock, the first rule
 * that holds winning: 流失 churned (no interaction for {@code churnedDays}), 沉默 dormant (no
 * purchase — or, never having bought, no registration — for {@code dormantDays}), 成熟 mature (at
 * least {@code maturePurchases} purchases or over {@code matureSpent} yuan), 成长 growing (a first
 * purchase), 引入 new. Every change writes a {@code lifecycle.changed} event with the old and new
 * stage, in the same statement. The defaults are the playbooks' 购买次数大于2次或消费额大于500:
 * more than two purchases (so from the third) or more than 500 yuan.
 */
public record LifecycleRules(int maturePurchases, long matureSpent, int dormantDays, int churnedDays) {

  /** The clocks of the two time rules; V13 indexes exactly these expressions. */
  static final String INTERACTION_CLOCK = "coalesce(c.last_interaction_at, c.first_seen_at)";
  static final String PURCHASE_CLOCK = "coalesce(c.last_purchase_at, c.first_seen_at)";

  /** See {@link #recompute}: {@code %1$s} is the stage's expression, {@code %2$s} the scope. */
  private static final String RECOMPUTE = "WITH due AS (SELECT c.id, c.lifecycle_stage AS old, s.stage AS new FROM contacts c "
      + "  CROSS JOIN LATERAL (SELECT %1$s AS stage) s "
      + "  WHERE (%2$s) AND c.lifecycle_stage <> s.stage ORDER BY c.id FOR NO KEY UPDATE OF c), "
      + "changed AS (UPDATE contacts c SET lifecycle_stage = due.new, updated_at = now() FROM due "
      + "  WHERE c.id = ANY (ARRAY(SELECT id FROM due)) AND c.id = due.id RETURNING c.id, due.old, due.new), "
      + "logged AS (INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "  SELECT 'lifecycle.changed:' || id || ':' || txid_current(), id, 'lifecycle.changed', now(), "
      + "  jsonb_build_object('from', old, 'to', new), 'siyu' FROM changed ON CONFLICT (event_key) DO NOTHING) "
      + "SELECT count(*) AS n FROM changed";

  public static LifecycleRules defaults() {
    return new LifecycleRules(3, 500, 90, 180);
  }

  /** The thresholds as a daily run remembers them: when they differ, the next run is a full pass. */
  Long[] thresholds() {
    return new Long[] {(long) maturePurchases, matureSpent, (long) dormantDays, (long) churnedDays};
  }

  /** The CASE expression over {@code contacts c}, thresholds bound into {@code p}. */
  String stageSql(SqlParams p) {
    return "CASE"
        + " WHEN " + INTERACTION_CLOCK + " < now() - make_interval(days => " + p.add(churnedDays) + "::int)"
        + "   THEN 'churned'"
        + " WHEN " + PURCHASE_CLOCK + " < now() - make_interval(days => " + p.add(dormantDays) + "::int)"
        + "   THEN 'dormant'"
        + " WHEN c.purchase_count >= " + p.add(maturePurchases) + "::int OR c.total_spent > " + p.add(matureSpent) + "::numeric"
        + "   THEN 'mature'"
        + " WHEN c.purchase_count >= 1 THEN 'growing'"
        + " ELSE 'new' END";
  }

  /**
   * The contacts whose stage time alone can have moved since the rules were last evaluated at
   * {@code evaluatedAt}: those whose clock crossed the churned or the dormant line in between, by
   * range scans of the clock indexes. Time only moves contacts into churned and dormant, so nobody
   * else can have changed, however long ago {@code evaluatedAt} was.
   */
  String crossedSince(Object evaluatedAt, SqlParams p) {
    String at = p.add(evaluatedAt) + "::timestamptz";
    return crossed(INTERACTION_CLOCK, at, churnedDays, p) + " OR " + crossed(PURCHASE_CLOCK, at, dormantDays, p);
  }

  private static String crossed(String clock, String at, int days, SqlParams p) {
    String span = "make_interval(days => " + p.add(days) + "::int)";
    return "(" + clock + " >= " + at + " - " + span + " AND " + clock + " < now() - " + span + ")";
  }

  /**
   * Recomputes the stage of the contacts {@code scope} selects (a condition over {@code c} whose
   * values are already in {@code p}), records each change as an event, and answers how many changed.
   * The contacts to change are locked first, in id order like every other writer of contacts: a
   * contact written after this statement's snapshot is then changed from what it holds now, not
   * from what the snapshot saw. The update reaches them through their ids ({@code = ANY}), so a
   * small day's work never turns into a join over the whole table.
   */
  public Future<Long> recompute(SqlClient client, String scope, SqlParams p) {
    return client.preparedQuery(String.format(RECOMPUTE, stageSql(p), scope)).execute(p.tuple())
        .map(rows -> rows.iterator().next().getLong("n"));
  }
}
