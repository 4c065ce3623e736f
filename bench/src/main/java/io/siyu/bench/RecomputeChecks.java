package io.siyu.bench;

import static io.siyu.bench.Sql.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What the answer of a recompute must say and the database must show after it (untimed; a
 * failure stops the run). The daily runs evaluate only what can have changed since the last one,
 * so whatever they skipped is checked against the rules applied from scratch.
 */
final class RecomputeChecks {
  private RecomputeChecks() {}

  /**
   * What the answer must say and the database must show after a run (untimed): the whole buying
   * base scored, exactly the lots that were due expired, one lifecycle.changed event per change
   * ({@code stagesBefore}: how many there were before the run), and every balance still the sum
   * of its open lots.
   */
  static void check(Connection db, JsonNode answer, long dueLots, long buyers, long stagesBefore)
      throws SQLException {
    for (String field : List.of("lifecycle_changed", "lifecycle_ms", "rfm", "rfm_ms", "points", "points_ms")) {
      if (answer.path(field).isMissingNode()) {
        throw new BenchFailure("POST /api/v1/loyalty/recompute answered without \"" + field + "\": " + answer);
      }
    }
    if (answer.path("rfm").path("base").asLong(-1) != buyers) {
      throw new BenchFailure("RFM scored a base of " + answer.path("rfm").path("base") + " contacts, "
          + buyers + " have bought: " + answer);
    }
    if (answer.path("points").path("expired_lots").asLong(-1) != dueLots) {
      throw new BenchFailure("points expiry expired " + answer.path("points").path("expired_lots") + " lots, "
          + dueLots + " were due: " + answer);
    }
    long logged = Long.parseLong(scalar(db, "SELECT count(*) FROM events WHERE type = 'lifecycle.changed'")) - stagesBefore;
    if (logged != answer.path("lifecycle_changed").asLong()) {
      throw new BenchFailure("the run reports " + answer.path("lifecycle_changed") + " lifecycle changes, it wrote "
          + logged + " lifecycle.changed events");
    }
    long off = Long.parseLong(scalar(db, """
        SELECT count(*) FROM contacts c
          LEFT JOIN (SELECT contact_id, sum(remaining) AS open FROM points_ledger GROUP BY contact_id) l
            ON l.contact_id = c.id
         WHERE c.points_balance <> coalesce(l.open, 0)"""));
    if (off != 0) {
      throw new BenchFailure(off + " contacts have a points balance that is not the sum of their open lots");
    }
    checkAsIfFromScratch(db);
  }

  /**
   * The daily runs evaluate only what can have changed since the last one; whatever they skipped
   * must still be right. So after every run (untimed) every contact's stage is compared with the
   * default lifecycle rules at the time the run evaluated them (its clock in recompute_marks: a
   * contact crossing a line during the run or since is the next run's), and every RFM score with
   * quintiles computed from scratch (boundaries below the value, plus half of those level with it).
   */
  static void checkAsIfFromScratch(Connection db) throws SQLException {
    long stages = Long.parseLong(scalar(db, """
        SELECT count(*) FROM contacts c, (SELECT clock FROM recompute_marks WHERE part = 'lifecycle') k
         WHERE c.lifecycle_stage <> CASE
          WHEN coalesce(c.last_interaction_at, c.first_seen_at) < k.clock - interval '180 days' THEN 'churned'
          WHEN coalesce(c.last_purchase_at, c.first_seen_at) < k.clock - interval '90 days' THEN 'dormant'
          WHEN c.purchase_count >= 3 OR c.total_spent > 500 THEN 'mature'
          WHEN c.purchase_count >= 1 THEN 'growing' ELSE 'new' END"""));
    if (stages != 0) {
      throw new BenchFailure(stages + " contacts have a lifecycle stage the rules did not give them when the run evaluated them");
    }
    long scores = Long.parseLong(scalar(db, """
        WITH q AS (SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m
          FROM contacts WHERE purchase_count > 0)
        SELECT count(*) FROM contacts c, q WHERE CASE WHEN c.purchase_count > 0
          THEN (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (
            1 + (c.last_purchase_at > q.r[1])::int + (c.last_purchase_at > q.r[2])::int
              + (c.last_purchase_at > q.r[3])::int + (c.last_purchase_at > q.r[4])::int
              + ((c.last_purchase_at = q.r[1])::int + (c.last_purchase_at = q.r[2])::int
                + (c.last_purchase_at = q.r[3])::int + (c.last_purchase_at = q.r[4])::int) / 2,
            1 + (c.purchase_count > q.f[1])::int + (c.purchase_count > q.f[2])::int
              + (c.purchase_count > q.f[3])::int + (c.purchase_count > q.f[4])::int
              + ((c.purchase_count = q.f[1])::int + (c.purchase_count = q.f[2])::int
                + (c.purchase_count = q.f[3])::int + (c.purchase_count = q.f[4])::int) / 2,
            1 + (c.total_spent > q.m[1])::int + (c.total_spent > q.m[2])::int
              + (c.total_spent > q.m[3])::int + (c.total_spent > q.m[4])::int
              + ((c.total_spent = q.m[1])::int + (c.total_spent = q.m[2])::int
                + (c.total_spent = q.m[3])::int + (c.total_spent = q.m[4])::int) / 2)
          ELSE c.rfm_class IS NOT NULL END"""));
    if (scores != 0) {
      throw new BenchFailure(scores + " contacts have RFM scores other than the quintiles of today's base give them");
    }
  }
}
