package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.app.Siyu;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Siyu instances on one database form one Quartz cluster: with the birthday and segment
 * scans firing every two seconds, each firing runs on one instance only, and every contact
 * enters once.
 */
class ScanClusterTest {
  private static final Map<String, String> ENV = Map.of(
      "SIYU_SCHEDULER_NAME", "siyu-cluster-" + UUID.randomUUID(),
      "SIYU_BIRTHDAY_SCAN_CRON", "0/2 * * * * ?",
      "SIYU_SEGMENT_SCAN_CRON", "1/2 * * * * ?");

  @RegisterExtension
  static final OwnServer first = new OwnServer(ENV);

  @Test
  void eachFiringRunsOnceAcrossTwoInstances() throws Exception {
    Siyu second = first.secondInstance(ENV);
    try {
      Api api = first.api();
      String birthdays = JourneyDeployTest.key();
      String newcomers = JourneyDeployTest.key();
      String name = "cluster-" + newcomers;
      long segment = JourneyScanTest.segmentOfName(api, name);
      assertEquals(201, JourneyDeployTest.deploy(api, JourneyScanTest.tagJourney(birthdays,
          "<camunda:property name=\"siyu.trigger\" value=\"birthday\" /><camunda:property name=\"siyu.hour\" value=\"0\" />"
              + "<camunda:property name=\"siyu.reentry\" value=\"yearly\" />")).status());
      assertEquals(201, JourneyDeployTest.deploy(api, JourneyScanTest.tagJourney(newcomers,
          "<camunda:property name=\"siyu.trigger\" value=\"segment\" /><camunda:property name=\"siyu.segment\" value=\""
              + segment + "\" />")).status());
      awaitRows("SELECT count(*) FROM journey_segment_baselines WHERE journey_key = ?", newcomers, 1);

      LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
      for (int i = 0; i < 20; i++) {
        JsonObject c = new JsonObject().put("external_userid", "cluster-" + UUID.randomUUID()).put("timezone", "Asia/Shanghai")
            .put("birthday", today.minusYears(20 + i).toString()).put("name", name);
        assertEquals(201, api.post("/api/v1/contacts", c).status());
      }
      awaitRows("SELECT count(*) FROM journey_entries WHERE journey_key = ?", birthdays, 20);
      awaitRows("SELECT count(*) FROM journey_entries WHERE journey_key = ?", newcomers, 20);
      // let both scans fire several more times over the same contacts
      awaitRows("SELECT count(*) FROM schedule_runs WHERE job = ? AND status = 'done'", "journey-birthdays", 8);

      assertEquals(0, count("SELECT count(*) FROM (SELECT job, scheduled_for FROM schedule_runs "
          + "GROUP BY job, scheduled_for HAVING count(*) > 1) twice", null), "a firing ran on both instances");
      assertEquals(0, count("SELECT count(*) FROM (SELECT 1 FROM journey_entries WHERE journey_key IN ('" + birthdays
          + "', '" + newcomers + "') GROUP BY journey_key, contact_id HAVING count(*) > 1) twice", null), "a contact entered twice");
      assertEquals(20, count("SELECT count(*) FROM journey_entries WHERE journey_key = ?", birthdays));
      assertEquals(20, count("SELECT count(*) FROM journey_entries WHERE journey_key = ?", newcomers));
      System.out.println("Scan runs per instance: " + count("SELECT count(DISTINCT instance) FROM schedule_runs", null)
          + " instance(s) ran " + count("SELECT count(*) FROM schedule_runs", null) + " runs");
    } finally {
      TestSiyu.stop(second);
    }
  }

  private static void awaitRows(String sql, String param, long n) throws Exception {
    long seen = 0;
    for (int i = 0; i < 600 && seen < n; i++) {
      Thread.sleep(100);
      seen = count(sql, param);
    }
    assertEquals(n, Math.min(seen, n), sql + " with " + param);
  }

  private static long count(String sql, Object param) throws Exception {
    try (Connection c = first.siyu().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      if (param != null) {
        st.setObject(1, param);
      }
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
