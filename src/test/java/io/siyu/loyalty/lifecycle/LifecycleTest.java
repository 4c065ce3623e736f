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

  /** The playbooks' 成熟: 购买次数大于2次或消费额大于500 — more than two purchases, so the third. */
  @Test
  void eventsMoveAMemberFromNewToGrowingToMatureAtTheThirdPurchase() {
    long c = members.contact();
    assertEquals("new", members.stage(c));
    members.purchase(c, "100.00", 0);
    assertEquals("growing", members.stage(c));
    members.purchase(c, "100.00", 0);
    assertEquals("growing", members.stage(c), "two purchases are not more than two");
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

  /**
   * Fewer buyers than quintiles: every quintile boundary is the sole buyer's own value, and a
   * boundary level with a value counts half, so the sole buyer sits in the middle (3, which counts
   * as high), not at the bottom.
   */
  @Test
  void aSoleBuyerIsScoredInTheMiddleNotAtTheBottom() throws Exception {
    onlyTheseBuy();
    long sole = members.contact();
    members.purchase(sole, "80.00", 3);
    assertEquals(1, members.recompute().getJsonObject("rfm").getLong("base"));
    assertEquals(new JsonObject().put("r", 3).put("f", 3).put("m", 3).put("class", "重要价值"), rfm(sole));
    assertEquals(0, members.rfmOff());
  }

  @Test
  void twoAndThreeBuyersSpreadOverTheScores() throws Exception {
    onlyTheseBuy();
    long worse = members.contact();
    members.purchase(worse, "10.00", 20);
    long better = members.contact();
    members.purchase(better, "60.00", 2);
    members.purchase(better, "60.00", 1);
    members.recompute();
    assertEquals(new JsonObject().put("r", 4).put("f", 4).put("m", 4).put("class", "重要价值"), rfm(better));
    assertEquals(new JsonObject().put("r", 2).put("f", 2).put("m", 2).put("class", "一般挽留"), rfm(worse));

    long middle = members.contact();
    members.purchase(middle, "30.00", 10);
    members.recompute();
    assertEquals(new JsonObject().put("r", 4).put("f", 4).put("m", 4).put("class", "重要价值"), rfm(better));
    assertEquals(new JsonObject().put("r", 3).put("f", 2).put("m", 3).put("class", "重要发展"), rfm(middle),
        "level with the worse on purchases: the two share the ranks below the better one");
    assertEquals(new JsonObject().put("r", 1).put("f", 2).put("m", 1).put("class", "一般挽留"), rfm(worse));
    assertEquals(0, members.rfmOff());
  }

  /**
   * Nine of ten bought twice, one once: every boundary is 2, and the nine are scored in the middle
   * of them, not at the bottom with the one.
   */
  @Test
  void aLargeTieAtTheTopIsNotScoredAsTheBottom() throws Exception {
    onlyTheseBuy();
    long once = members.contact();
    members.purchase(once, "10.00", 5);
    long[] twice = new long[9];
    for (int i = 0; i < twice.length; i++) {
      twice[i] = members.contact();
      members.purchase(twice[i], "5.00", 6);
      members.purchase(twice[i], "5.00", 5);
    }
    members.recompute();
    assertEquals(1, rfm(once).getInteger("f"));
    for (long c : twice) {
      assertEquals(3, rfm(c).getInteger("f"), "contact " + c);
    }
    assertEquals(0, members.rfmOff());
  }

  private static JsonObject rfm(long contact) {
    return server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("rfm");
  }

  /** Other tests of this class buy too: takes everyone there is out of the buying base. */
  private static void onlyTheseBuy() throws Exception {
    members.sql("UPDATE contacts SET purchase_count = 0");
  }
}
