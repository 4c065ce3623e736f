package io.siyu.loyalty.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.siyu.support.Api.Reply;
import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lifecycle stages move with events and with time, each move recorded as an event; RFM classes
 * come from quintiles over the buying base. A server of its own, so the base is exactly what the
 * test creates.
 */
class LifecycleTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  static final Members members = new Members(server);

  @Test
  void eventsMoveAMemberFromNewToGrowingToMature() {
    long c = members.contact();
    assertEquals("new", members.stage(c));
    members.purchase(c, "100.00", 0);
    assertEquals("growing", members.stage(c));
    members.purchase(c, "100.00", 0);
    assertEquals("mature", members.stage(c));
    JsonArray moves = server.api().get("/api/v1/events?type=lifecycle.changed&sort=seq&contact_id=" + c).items();
    assertEquals(2, moves.size());
    assertEquals(new JsonObject().put("from", "new").put("to", "growing"), moves.getJsonObject(0).getJsonObject("properties"));
    assertEquals(new JsonObject().put("from", "growing").put("to", "mature"), moves.getJsonObject(1).getJsonObject("properties"));
  }

  @Test
  void overFiveHundredYuanIsMatureExactlyFiveHundredIsNot() {
    long exactly = members.contact();
    members.purchase(exactly, "500.00", 0);
    assertEquals("growing", members.stage(exactly));
    long over = members.contact();
    members.purchase(over, "500.01", 0);
    assertEquals("mature", members.stage(over));
  }

  @Test
  void timeAloneMovesMembersToDormantAndChurned() throws Exception {
    long dormant = members.contact();
    members.purchase(dormant, "10.00", 91);
    long active = members.contact();
    members.purchase(active, "10.00", 89);
    long churned = members.contact();
    members.purchase(churned, "10.00", 200);
    long neverBought = members.contact();
    members.sql("UPDATE contacts SET first_seen_at = now() - interval '95 days' WHERE id = ?", neverBought);

    members.recompute();
    assertEquals("dormant", members.stage(dormant));
    assertEquals("growing", members.stage(active));
    assertEquals("churned", members.stage(churned));
    assertEquals("dormant", members.stage(neverBought));
    assertEquals(0, members.recompute().getLong("lifecycle_changed"), "a second run changes nothing");
  }

  @Test
  void rfmClassesComeFromQuintilesOverTheBuyingBase() throws Exception {
    // recency days, purchases, total spent: chosen so each contact lands in a different quintile
    int[][] plan = {{1, 5, 1000}, {10, 1, 900}, {20, 4, 100}, {30, 2, 800}, {40, 3, 60}};
    String[] expected = {"重要价值", "重要发展", "一般价值", "重要挽留", "一般保持"};
    long[] ids = new long[plan.length];
    try (Connection conn = server.siyu().database().jdbc().getConnection()) {
      // other tests of this class buy too: take everyone else out of the base first
      conn.createStatement().executeUpdate("UPDATE contacts SET purchase_count = 0");
    }
    for (int i = 0; i < plan.length; i++) {
      ids[i] = members.contact();
      for (int p = 0; p < plan[i][1]; p++) {
        members.purchase(ids[i], new BigDecimal(plan[i][2]).divide(new BigDecimal(plan[i][1]), 2,
            java.math.RoundingMode.UNNECESSARY).toPlainString(), plan[i][0]);
      }
    }
    JsonObject run = members.recompute();
    assertEquals(5, run.getJsonObject("rfm").getLong("base"), run.encode());
    for (int i = 0; i < plan.length; i++) {
      assertEquals(expected[i], server.api().get("/api/v1/contacts/" + ids[i]).json().getJsonObject("rfm").getString("class"),
          "contact " + i);
    }
    assertNull(server.api().get("/api/v1/contacts/" + members.contact()).json().getValue("rfm"), "no purchase, no class");
    Reply segment = server.api().post("/api/v1/segments/preview", new JsonObject().put("filter",
        new JsonObject().put("field", "rfm_class").put("op", "eq").put("value", "重要价值")));
    assertEquals(1, segment.json().getLong("count"));
  }
}
