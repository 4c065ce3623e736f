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
 * stage, in the same statement.
 */
public record LifecycleRules(int maturePurchases, long matureSpent, int dormantDays, int churnedDays) {

  public static LifecycleRules defaults() {
    return new LifecycleRules(2, 500, 90, 180);
  }

  /** The CASE expression over {@code contacts c}, thresholds bound into {@code p}. */
  String stageSql(SqlParams p) {
    return "CASE"
        + " WHEN coalesce(c.last_interaction_at, c.first_seen_at) < now() - make_interval(days => " + p.add(churnedDays) + "::int)"
        + "   THEN 'churned'"
        + " WHEN coalesce(c.last_purchase_at, c.first_seen_at) < now() - make_interval(days => " + p.add(dormantDays) + "::int)"
        + "   THEN 'dormant'"
        + " WHEN c.purchase_count >= " + p.add(maturePurchases) + "::int OR c.total_spent > " + p.add(matureSpent) + "::numeric"
        + "   THEN 'mature'"
        + " WHEN c.purchase_count >= 1 THEN 'growing'"
        + " ELSE 'new' END";
  }

  /**
   * Recomputes the stage of the contacts {@code scope} selects (a condition over {@code c} whose
   * values are already in {@code p}), records each change as an event, and answers how many changed.
   */
  public Future<Long> recompute(SqlClient client, String scope, SqlParams p) {
    String sql = "WITH computed AS (SELECT c.id, c.lifecycle_stage AS old, " + stageSql(p) + " AS new "
        + "  FROM contacts c WHERE " + scope + "), "
        + "changed AS (UPDATE contacts c SET lifecycle_stage = computed.new, updated_at = now() FROM computed "
        + "  WHERE c.id = computed.id AND computed.old <> computed.new RETURNING c.id, computed.old, computed.new), "
        + "logged AS (INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
        + "  SELECT 'lifecycle.changed:' || id || ':' || txid_current(), id, 'lifecycle.changed', now(), "
        + "  jsonb_build_object('from', old, 'to', new), 'siyu' FROM changed ON CONFLICT (event_key) DO NOTHING) "
        + "SELECT count(*) AS n FROM changed";
    return client.preparedQuery(sql).execute(p.tuple()).map(rows -> rows.iterator().next().getLong("n"));
  }
}
