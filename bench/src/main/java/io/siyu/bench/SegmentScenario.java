package io.siyu.bench;

import static io.siyu.bench.Out.JSON;
import static io.siyu.bench.Out.json;
import static io.siyu.bench.Out.log;
import static io.siyu.bench.Stats.median;
import static io.siyu.bench.Stats.p90;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Scenario {@code segment}: a count of tag AND attribute range AND lifecycle through
 * {@code POST /api/v1/segments/preview} against the hand-written SQL, interleaved. Needs the
 * import's contacts. Goal: API median ≤ 1.5 × hand-written SQL median.
 */
final class SegmentScenario {
  static final double GOAL = 1.5;

  static final String HAND_WRITTEN_COUNT = """
      SELECT count(*) FROM contacts c
        JOIN contact_tags t ON t.contact_id = c.id AND t.tag_id = ?
       WHERE (c.attributes->>'level')::numeric BETWEEN 3 AND 7
         AND c.lifecycle_stage = 'growing'""";

  private final SiyuBench.Options opts;
  private final SiyuBench.Report report;
  private final Api api;
  private final Connection db;

  SegmentScenario(SiyuBench.Options opts, SiyuBench.Report report, Api api, Connection db) {
    this.opts = opts;
    this.report = report;
    this.api = api;
    this.db = db;
  }

  void run() throws Exception {
    log("");
    log("== segment: count(tag AND level 3..7 AND lifecycle growing) via API vs hand-written SQL");
    long tagId = createTag();
    tagEveryTenth(db, tagId);

    ObjectNode body = JSON.createObjectNode();
    body.set("filter", JSON.readTree(String.format(Locale.ROOT, """
        {"all":[{"has_tag":%d},
                {"attribute":"level","op":"between","value":[3,7]},
                {"field":"lifecycle_stage","op":"eq","value":"growing"}]}""", tagId)));
    body.put("sample_size", 0);
    String preview = JSON.writeValueAsString(body);

    try (PreparedStatement sql = db.prepareStatement(HAND_WRITTEN_COUNT)) {
      sql.setLong(1, tagId);
      LongSupplier viaApi = () -> api.post("/api/v1/segments/preview", preview, 200).path("count").asLong(-1);
      LongSupplier viaSql = () -> countWith(sql);
      report.segmentCount = checkSameCount(viaApi.getAsLong(), viaSql.getAsLong());
      log("both answer %,d contacts", report.segmentCount);

      for (int i = 0; i < opts.warmup; i++) {
        viaApi.getAsLong();
        viaSql.getAsLong();
      }
      // interleaved, alternating which goes first, so drift in machine load hits both alike
      for (int round = 0; round < opts.rounds; round++) {
        if (round % 2 == 0) {
          report.apiMillis.add(timeCount(viaApi, report.segmentCount, "API"));
          report.sqlMillis.add(timeCount(viaSql, report.segmentCount, "SQL"));
        } else {
          report.sqlMillis.add(timeCount(viaSql, report.segmentCount, "SQL"));
          report.apiMillis.add(timeCount(viaApi, report.segmentCount, "API"));
        }
      }
    }
    log("API  count over HTTP: median %.1f ms, p90 %.1f ms", median(report.apiMillis), p90(report.apiMillis));
    log("SQL  count over JDBC: median %.1f ms, p90 %.1f ms", median(report.sqlMillis), p90(report.sqlMillis));
    log("API / SQL (median): %.2f  (goal <= %.1f)", report.segmentRatio(), GOAL);
  }

  private long createTag() {
    // a fresh group name per run, so repeated runs against one external server do not collide
    String group = "bench-" + Long.toHexString(System.currentTimeMillis());
    long groupId = api.post("/api/v1/tag-groups", json(Map.of("name", group)), 201).path("id").asLong();
    return api.post("/api/v1/tags", json(Map.of("group_id", groupId, "name", "vip")), 201).path("id").asLong();
  }

  /** Tagging a tenth of a million contacts through the API is not what this scenario measures. */
  static void tagEveryTenth(Connection db, long tagId) throws SQLException {
    long t0 = System.nanoTime();
    int tagged;
    try (PreparedStatement st = db.prepareStatement(
        "INSERT INTO contact_tags (contact_id, tag_id, tagged_by) SELECT id, ?, 'bench' FROM contacts WHERE id % 10 = 0")) {
      st.setLong(1, tagId);
      tagged = st.executeUpdate();
    }
    try (Statement st = db.createStatement()) {
      st.execute("ANALYZE contacts");
      st.execute("ANALYZE contact_tags");
    }
    log("tagged %,d contacts with tag %d in SQL and analyzed in %.1f s", tagged, tagId, (System.nanoTime() - t0) / 1e9);
  }

  static long countWith(PreparedStatement sql) {
    try (ResultSet rs = sql.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new BenchFailure("hand-written count failed: " + e.getMessage());
    }
  }

  static long checkSameCount(long api, long sql) {
    if (api != sql || api < 0) {
      throw new BenchFailure("the API counts " + api + " contacts but the hand-written SQL counts " + sql);
    }
    if (api == 0) {
      throw new BenchFailure("the filter matches no contact; the comparison would be meaningless");
    }
    return api;
  }

  static double timeCount(LongSupplier count, long expected, String what) {
    long t0 = System.nanoTime();
    long n = count.getAsLong();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (n != expected) {
      throw new BenchFailure(what + " count changed between rounds: " + n + " instead of " + expected);
    }
    return ms;
  }
}
