package io.siyu.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduled jobs live in Quartz's JDBC store and run the loyalty work when they fire. */
class ScheduleTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void theJobsAreScheduledWithTheirNextFiring() {
    Reply r = api.get("/api/v1/schedules");
    assertEquals(200, r.status(), r.toString());
    JsonArray items = r.items();
    assertEquals("loyalty-recompute", items.getJsonObject(0).getString("name"));
    assertEquals("0 0 3 * * ?", items.getJsonObject(0).getString("cron"));
    assertNotNull(items.getJsonObject(0).getString("next_fire_at"));
    assertEquals("tier-review", items.getJsonObject(1).getString("name"));
    assertEquals(404, api.post("/api/v1/schedules/nope/run", new JsonObject()).status());
  }

  @Test
  void firingTheRecomputeMovesADormantMember() throws Exception {
    long c = api.post("/api/v1/contacts", new JsonObject().put("openid", "sched-" + UUID.randomUUID())).json().getLong("id");
    try (Connection conn = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement("UPDATE contacts SET first_seen_at = now() - interval '100 days' WHERE id = ?")) {
      ps.setLong(1, c);
      ps.executeUpdate();
    }
    assertEquals(202, api.post("/api/v1/schedules/loyalty-recompute/run", new JsonObject()).status());
    String stage = null;
    for (int i = 0; i < 200 && !"dormant".equals(stage); i++) {
      Thread.sleep(100);
      stage = api.get("/api/v1/contacts/" + c).json().getString("lifecycle_stage");
    }
    assertEquals("dormant", stage);
  }
}
