package io.siyu.loyalty.lifecycle;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * RFM over the buying base (contacts with at least one purchase): recency of the last purchase,
 * purchase count and total spent, each scored 1–5 by quintile (5 is best), and the eight classic
 * classes from whether each score is high (≥ 3). One set-based statement, run in a transaction
 * (it sets a local work_mem); only rows whose scores change are written, and contacts that left
 * the base lose their scores.
 */
public final class Rfm {
  private Rfm() {}

  private static final String CLASS = "CASE (b.r >= 3)::int * 4 + (b.f >= 3)::int * 2 + (b.m >= 3)::int"
      + " WHEN 7 THEN '重要价值' WHEN 5 THEN '重要发展' WHEN 3 THEN '重要保持' WHEN 1 THEN '重要挽留'"
      + " WHEN 6 THEN '一般价值' WHEN 4 THEN '一般发展' WHEN 2 THEN '一般保持' ELSE '一般挽留' END";

  /**
   * Quintile boundaries first (three single-column sorts), then one pass that scores every member
   * by how many boundaries their value passes. Equal values always get equal scores, and only
   * rows whose scores change are written.
   */
  static final String RECOMPUTE = "WITH q AS (SELECT "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m "
      + "  FROM contacts WHERE purchase_count > 0), "
      + "b AS (SELECT c.id, "
      + "  (1 + (c.last_purchase_at > q.r[1])::int + (c.last_purchase_at > q.r[2])::int "
      + "     + (c.last_purchase_at > q.r[3])::int + (c.last_purchase_at > q.r[4])::int)::smallint AS r, "
      + "  (1 + (c.purchase_count > q.f[1])::int + (c.purchase_count > q.f[2])::int "
      + "     + (c.purchase_count > q.f[3])::int + (c.purchase_count > q.f[4])::int)::smallint AS f, "
      + "  (1 + (c.total_spent > q.m[1])::int + (c.total_spent > q.m[2])::int "
      + "     + (c.total_spent > q.m[3])::int + (c.total_spent > q.m[4])::int)::smallint AS m "
      + "  FROM contacts c, q WHERE c.purchase_count > 0), "
      + "scored AS (UPDATE contacts c SET rfm_r = b.r, rfm_f = b.f, rfm_m = b.m, rfm_class = " + CLASS + ", "
      + "  updated_at = now() FROM b WHERE c.id = b.id "
      + "  AND (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (b.r, b.f, b.m) RETURNING c.id), "
      + "cleared AS (UPDATE contacts SET rfm_r = NULL, rfm_f = NULL, rfm_m = NULL, rfm_class = NULL, updated_at = now() "
      + "  WHERE purchase_count = 0 AND rfm_class IS NOT NULL RETURNING id) "
      + "SELECT (SELECT count(*) FROM b) AS base, (SELECT count(*) FROM scored) AS scored, "
      + "  (SELECT count(*) FROM cleared) AS cleared";

  /** Answers the size of the base and how many contacts changed. */
  public static Future<io.vertx.core.json.JsonObject> recompute(SqlClient client) {
    // the boundary sorts fit in memory with a little more than the default work_mem
    return client.query("SET LOCAL work_mem = '64MB'").execute().compose(v -> client.query(RECOMPUTE).execute()).map(rows -> {
      var r = rows.iterator().next();
      return new io.vertx.core.json.JsonObject().put("base", r.getLong("base"))
          .put("rescored", r.getLong("scored")).put("cleared", r.getLong("cleared"));
    });
  }
}
