package io.siyu.loyalty.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

/**
 * RFM over the buying base (contacts with at least one purchase): recency of the last purchase,
 * purchase count and total spent, each scored 1–5 by quintile (5 is best; see {@link #score} for
 * values level with a boundary), and the eight classic classes from whether each score is high (≥ 3).
 *
 * <p>A contact's scores can only go stale when some contact's purchases change (recency, frequency
 * and monetary value all move with a purchase, and only then) or a scored contact is deleted:
 * either can move the quintile boundaries. Each scored contact keeps the purchase count it was
 * scored from ({@code rfm_purchases}); the contacts whose count differs — normally the day's
 * buyers — are in a partial index, a trigger notes deleted scored contacts in
 * {@code rfm_departures}, and {@code recompute_marks} keeps the base and boundaries of the last
 * ranking. So a run with nothing moved reads that small index and that small table and re-ranks
 * nothing; otherwise it ranks again and rescores the movers, plus everyone whom moved boundaries
 * regrade. Run in a transaction (it sets a local work_mem).
 */
public final class Rfm {
  private Rfm() {}

  /**
   * A contact whose purchases changed since it was scored, or who was never scored but bought, or
   * who was scored and has no purchases left: word for word the predicate of V13's partial index.
   */
  static final String MOVED = "(c.rfm_purchases IS DISTINCT FROM nullif(c.purchase_count, 0)) IS TRUE";

  /**
   * A score 1–5: one plus how many of the four quintile boundaries {@code b1..b4} lie below the
   * value, plus half (rounded down) of those level with it. Where values are distinct this is the
   * classic quintile; the half counts for ties with boundaries, which are what small bases and
   * crowded values (most buyers bought once) produce: with one buyer all four boundaries are its
   * own values, and it scores 3, not 1; when nine of ten bought twice, every frequency boundary is
   * 2, and the nine score 3 rather than the 1 of the one who bought once.
   */
  private static String score(String column, String bounds) {
    // 1 + (below + level / 2) = (2 + below + atOrBelow) / 2, each count a CASE from the top that
    // stops at the first boundary passed: scoring a million buyers so takes about as long as the
    // four comparisons of plain quintiles, where summing eight comparisons took some 40 % longer
    return "((2 + " + passed(column, bounds, ">") + " + " + passed(column, bounds, ">=") + ") / 2)::smallint";
  }

  /** How many of the boundaries (ascending) the value passes by {@code op}. */
  private static String passed(String column, String bounds, String op) {
    StringBuilder s = new StringBuilder("CASE");
    for (int i = 4; i >= 1; i--) {
      s.append(" WHEN c.").append(column).append(' ').append(op).append(" b.").append(bounds).append(i).append(" THEN ").append(i);
    }
    return s.append(" ELSE 0 END").toString();
  }

  private static final String LOCK_MARK = "SELECT 1 FROM recompute_marks WHERE part = 'rfm' FOR UPDATE";
  private static final String SAVE_MARK = "UPDATE recompute_marks SET clock = now() WHERE part = 'rfm'";
  /** The boundary sorts fit in memory with a little more than the default work_mem. */
  private static final String MORE_WORK_MEM = "SET LOCAL work_mem = '64MB'";
  private static final String R = score("last_purchase_at", "r");
  private static final String F = score("purchase_count", "f");
  private static final String M = score("total_spent", "m");

  private static final String CLASS = "CASE (due.r >= 3)::int * 4 + (due.f >= 3)::int * 2 + (due.m >= 3)::int"
      + " WHEN 7 THEN '重要价值' WHEN 5 THEN '重要发展' WHEN 3 THEN '重要保持' WHEN 1 THEN '重要挽留'"
      + " WHEN 6 THEN '一般价值' WHEN 4 THEN '一般发展' WHEN 2 THEN '一般保持' ELSE '一般挽留' END";

  /** Whether anything moved since the last ranking: a mover, or a scored contact deleted. */
  static final String STILL = "SELECT k.clock IS NOT NULL AS ranked, k.base, "
      + "  EXISTS (SELECT 1 FROM contacts c WHERE " + MOVED + ") OR EXISTS (SELECT 1 FROM rfm_departures) AS moved "
      + "FROM recompute_marks k WHERE k.part = 'rfm'";

  /**
   * One statement, so the boundaries and every score come from one snapshot: quintile boundaries
   * (three single-column sorts of the base) compared with the stored ones and stored, the
   * departures they account for removed (a later one stays for the next run); then the
   * contacts to write, taken with the snapshot's values — the movers through their index, and only
   * when the boundaries moved (the gate is evaluated once), everyone else whose scores they change.
   * The update reaches those by id and writes the snapshot's scores and purchase count: a purchase
   * committed meanwhile leaves its contact a mover for the next run. Equal values always score alike.
   */
  static final String RANK = "WITH q AS MATERIALIZED (SELECT count(*) AS base, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f, "
      + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m "
      + "  FROM contacts WHERE purchase_count > 0), "
      + "b AS MATERIALIZED (SELECT q.base, (q.base, q.r, q.f, q.m) IS NOT DISTINCT FROM (k.base, k.r, k.f, k.m) AS same, "
      + "  q.r[1] AS r1, q.r[2] AS r2, q.r[3] AS r3, q.r[4] AS r4, q.f[1] AS f1, q.f[2] AS f2, q.f[3] AS f3, q.f[4] AS f4, "
      + "  q.m[1] AS m1, q.m[2] AS m2, q.m[3] AS m3, q.m[4] AS m4 "
      + "  FROM q JOIN recompute_marks k ON k.part = 'rfm'), "
      + "kept AS (UPDATE recompute_marks k SET clock = now(), base = q.base, r = q.r, f = q.f, m = q.m "
      + "  FROM q WHERE k.part = 'rfm'), "
      + "counted AS (DELETE FROM rfm_departures), "
      + "due AS (SELECT c.id, c.purchase_count AS n, "
      + "    CASE WHEN c.purchase_count > 0 THEN " + R + " END AS r, "
      + "    CASE WHEN c.purchase_count > 0 THEN " + F + " END AS f, "
      + "    CASE WHEN c.purchase_count > 0 THEN " + M + " END AS m "
      + "  FROM contacts c, b WHERE " + MOVED
      + "  UNION ALL "
      + "  SELECT c.id, c.purchase_count, " + R + ", " + F + ", " + M + " FROM contacts c, b "
      + "  WHERE (SELECT NOT same FROM b) AND c.purchase_count > 0 AND NOT (" + MOVED + ") "
      + "  AND (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (" + R + ", " + F + ", " + M + ")), "
      + "changed AS (UPDATE contacts c SET rfm_r = due.r, rfm_f = due.f, rfm_m = due.m, "
      + "    rfm_class = CASE WHEN due.n > 0 THEN " + CLASS + " END, rfm_purchases = nullif(due.n, 0), updated_at = now() "
      + "  FROM due WHERE c.id = ANY (ARRAY(SELECT id FROM due)) AND c.id = due.id "
      + "  RETURNING due.n > 0 AS scored) "
      + "SELECT b.base, b.same, (SELECT count(*) FILTER (WHERE scored) FROM changed) AS scored, "
      + "  (SELECT count(*) FILTER (WHERE NOT scored) FROM changed) AS cleared FROM b";

  /** Answers the size of the base, how many contacts were rescored and cleared, and which pass ran. */
  public static Future<JsonObject> recompute(SqlConnection conn) {
    return conn.query(LOCK_MARK).execute()
        .compose(locked -> conn.query(STILL).execute())
        .compose(rows -> {
          Row still = rows.iterator().next();
          if (still.getBoolean("ranked") && !still.getBoolean("moved")) {
            return conn.query(SAVE_MARK).execute()
                .map(v -> report(still.getLong("base"), 0, 0, "none"));
          }
          return rank(conn);
        });
  }

  private static Future<JsonObject> rank(SqlConnection conn) {
    return conn.query(MORE_WORK_MEM).execute().compose(v -> conn.query(RANK).execute()).map(rows -> {
      Row r = rows.iterator().next();
      return report(r.getLong("base"), r.getLong("scored"), r.getLong("cleared"), r.getBoolean("same") ? "movers" : "full");
    });
  }

  private static JsonObject report(long base, long rescored, long cleared, String pass) {
    return new JsonObject().put("base", base).put("rescored", rescored).put("cleared", cleared).put("pass", pass);
  }
}
