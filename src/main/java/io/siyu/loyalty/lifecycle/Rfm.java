package io.siyu.loyalty.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

/**
 * RFM over the buying base (contacts with at least one purchase): recency of the last purchase,
 * purchase count and total spent, each scored 1–5 by quintile (5 is best), and the eight classic
 * classes from whether each score is high (≥ 3). Run in a transaction (it sets a local work_mem).
 */
public final class Rfm {
  private Rfm() {}

  /** A score 1–5: one plus how many of the four quintile boundaries in {@code bounds} the value passes. */
  private static String score(String column, String bounds) {
    StringBuilder s = new StringBuilder("(1");
    for (int i = 1; i <= 4; i++) {
      s.append(" + (c.").append(column).append(" > q.").append(bounds).append('[').append(i).append("])::int");
    }
    return s.append(")::smallint").toString();
  }

  private static final String R = score("last_purchase_at", "r");
  private static final String F = score("purchase_count", "f");
  private static final String M = score("total_spent", "m");

  private static final String CLASS = "CASE (" + R + " >= 3)::int * 4 + (" + F + " >= 3)::int * 2 + (" + M + " >= 3)::int"
      + " WHEN 7 THEN '重要价值' WHEN 5 THEN '重要发展' WHEN 3 THEN '重要保持' WHEN 1 THEN '重要挽留'"
      + " WHEN 6 THEN '一般价值' WHEN 4 THEN '一般发展' WHEN 2 THEN '一般保持' ELSE '一般挽留' END";

  /**
   * Quintile boundaries first (three single-column sorts of the base), then one pass over contacts
   * that scores every buyer by how many boundaries their value passes and clears the scores of
   * contacts who left the base. Equal values always get equal scores. Only rows whose scores change
   * are written, and the pass joins nothing: a quiet day costs the sorts and one scan.
   */
  static final String RECOMPUTE = "WITH q AS (SELECT count(*) AS base, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m "
      + "  FROM contacts WHERE purchase_count > 0), "
      + "changed AS (UPDATE contacts c SET "
      + "    rfm_r = CASE WHEN c.purchase_count > 0 THEN " + R + " END, "
      + "    rfm_f = CASE WHEN c.purchase_count > 0 THEN " + F + " END, "
      + "    rfm_m = CASE WHEN c.purchase_count > 0 THEN " + M + " END, "
      + "    rfm_class = CASE WHEN c.purchase_count > 0 THEN " + CLASS + " END, updated_at = now() "
      + "  FROM q WHERE CASE WHEN c.purchase_count > 0 THEN (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (" + R + ", " + F + ", " + M + ")"
      + "    ELSE c.rfm_class IS NOT NULL END "
      + "  RETURNING c.purchase_count > 0 AS scored) "
      + "SELECT q.base, (SELECT count(*) FILTER (WHERE scored) FROM changed) AS scored, "
      + "  (SELECT count(*) FILTER (WHERE NOT scored) FROM changed) AS cleared FROM q";

  /** Answers the size of the base and how many contacts changed. */
  public static Future<JsonObject> recompute(SqlClient client) {
    // the boundary sorts fit in memory with a little more than the default work_mem
    return client.query("SET LOCAL work_mem = '64MB'").execute().compose(v -> client.query(RECOMPUTE).execute()).map(rows -> {
      var r = rows.iterator().next();
      return new JsonObject().put("base", r.getLong("base"))
          .put("rescored", r.getLong("scored")).put("cleared", r.getLong("cleared"));
    });
  }
}
