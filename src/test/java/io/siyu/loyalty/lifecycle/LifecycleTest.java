package io.siyu.loyalty.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.siyu.support.OwnServer;
import io.siyu.support.Api.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
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

  private static long contact() {
    return server.api().post("/api/v1/contacts", new JsonObject().put("openid", "lc-" + UUID.randomUUID())).json().getLong("id");
  }

  private static void purchase(long contact, String amount, int daysAgo) {
    Reply r = server.api().post("/api/v1/events", new JsonObject().put("id", "p-" + UUID.randomUUID()).put("type", "purchase")
        .put("contact_id", contact).put("amount", new BigDecimal(amount))
        .put("occurred_at", OffsetDateTime.now().minusDays(daysAgo).toString()));
    assertEquals(201, r.status(), r.toString());
  }

  private static String stage(long contact) {
    return server.api().get("/api/v1/contacts/" + contact).json().getString("lifecycle_stage");
  }

  private static void sql(String statement, long contact) throws Exception {
    try (Connection c = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setLong(1, contact);
      ps.executeUpdate();
    }
  }

  private static JsonObject recompute() {
    Reply r = server.api().post("/api/v1/loyalty/recompute", new JsonObject());
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  @Test
  void eventsMoveAMemberFromNewToGrowingToMature() {
    long c = contact();
    assertEquals("new", stage(c));
    purchase(c, "100.00", 0);
    assertEquals("growing", stage(c));
    purchase(c, "100.00", 0);
    assertEquals("mature", stage(c));
    JsonArray moves = server.api().get("/api/v1/events?type=lifecycle.changed&contact_id=" + c).items();
    assertEquals(2, moves.size());
    assertEquals(new JsonObject().put("from", "new").put("to", "growing"), moves.getJsonObject(0).getJsonObject("properties"));
    assertEquals(new JsonObject().put("from", "growing").put("to", "mature"), moves.getJsonObject(1).getJsonObject("properties"));
  }

  @Test
  void overFiveHundredYuanIsMatureExactlyFiveHundredIsNot() {
    long exactly = contact();
    purchase(exactly, "500.00", 0);
    assertEquals("growing", stage(exactly));
    long over = contact();
    purchase(over, "500.01", 0);
    assertEquals("mature", stage(over));
  }

  @Test
  void timeAloneMovesMembersToDormantAndChurned() throws Exception {
    long dormant = contact();
    purchase(dormant, "10.00", 91);
    long active = contact();
    purchase(active, "10.00", 89);
    long churned = contact();
    purchase(churned, "10.00", 200);
    long neverBought = contact();
    sql("UPDATE contacts SET first_seen_at = now() - interval '95 days' WHERE id = ?", neverBought);

    recompute();
    assertEquals("dormant", stage(dormant));
    assertEquals("growing", stage(active));
    assertEquals("churned", stage(churned));
    assertEquals("dormant", stage(neverBought));
    assertEquals(0, recompute().getLong("lifecycle_changed"), "a second run changes nothing");
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
      ids[i] = contact();
      for (int p = 0; p < plan[i][1]; p++) {
        purchase(ids[i], new BigDecimal(plan[i][2]).divide(new BigDecimal(plan[i][1]), 2,
            java.math.RoundingMode.UNNECESSARY).toPlainString(), plan[i][0]);
      }
    }
    JsonObject run = recompute();
    assertEquals(5, run.getJsonObject("rfm").getLong("base"), run.encode());
    for (int i = 0; i < plan.length; i++) {
      assertEquals(expected[i], server.api().get("/api/v1/contacts/" + ids[i]).json().getJsonObject("rfm").getString("class"),
          "contact " + i);
    }
    assertNull(server.api().get("/api/v1/contacts/" + contact()).json().getValue("rfm"), "no purchase, no class");
    Reply segment = server.api().post("/api/v1/segments/preview", new JsonObject().put("filter",
        new JsonObject().put("field", "rfm_class").put("op", "eq").put("value", "重要价值")));
    assertEquals(1, segment.json().getLong("count"));
  }
}
