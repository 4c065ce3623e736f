package io.siyu.loyalty.points;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.OwnServer;
import io.siyu.support.Api.Reply;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Points earned from events by the configured rules; a server of its own for the rule settings.
 * Points expire counting from their event's time, so a validity of a century keeps the fixed dates
 * of these tests (the 2024 leap day among them) earning.
 */
class EarningTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of(
        "SIYU_POINTS_CATEGORY_MULTIPLIERS", "beauty=2",
        "SIYU_POINTS_CAMPAIGNS", "2026-10-01..2026-10-07=2",
        "SIYU_POINTS_VALIDITY_MONTHS", "1200"));

  private static long contact() {
    return server.api().post("/api/v1/contacts", new JsonObject().put("openid", "earn-" + UUID.randomUUID())).json().getLong("id");
  }

  private static Reply event(long contact, String type, String amount, String at, JsonObject properties) {
    JsonObject e = new JsonObject().put("id", type + "-" + UUID.randomUUID()).put("type", type).put("contact_id", contact)
        .put("occurred_at", at).put("properties", properties == null ? new JsonObject() : properties);
    if (amount != null) {
      e.put("amount", new BigDecimal(amount));
    }
    Reply r = server.api().post("/api/v1/events", e);
    assertEquals(201, r.status(), r.toString());
    return r;
  }

  private static int balance(long c) {
    return server.api().get("/api/v1/contacts/" + c + "/points").json().getInteger("balance");
  }

  @Test
  void purchasesEarnPerYuanTimesTierCategoryAndCampaign() {
    long c = contact();
    event(c, "purchase", "99.99", "2026-09-20T10:00:00+08:00", null);
    assertEquals(99, balance(c), "1 point a yuan, rounded down");
    event(c, "purchase", "100", "2026-10-03T10:00:00+08:00", null);
    assertEquals(99 + 200, balance(c), "double points inside the campaign window");
    event(c, "purchase", "100", "2026-10-08T00:30:00+08:00", new JsonObject().put("category", "beauty"));
    assertEquals(99 + 200 + 200, balance(c), "the window has ended in Shanghai; beauty counts double");
  }

  @Test
  void goldMembersEarnOneAndAHalfTimes() {
    long c = contact();
    event(c, "purchase", "10000", "2026-11-01T10:00:00+08:00", null);
    assertEquals("金卡", server.api().get("/api/v1/contacts/" + c).json().getString("tier"));
    assertEquals(10000, balance(c), "the purchase that made them gold earned at the tier they had");
    event(c, "purchase", "100", "2026-11-02T10:00:00+08:00", null);
    assertEquals(10150, balance(c));
  }

  @Test
  void signInStreaksGrowToTwentyAndABreakStartsOver() {
    long c = contact();
    int[] expected = {5, 15, 30, 50, 70};
    for (int day = 1; day <= 5; day++) {
      event(c, "sign_in", null, "2026-11-0" + day + "T09:00:00+08:00", null);
      assertEquals(expected[day - 1], balance(c), "day " + day);
    }
    event(c, "sign_in", null, "2026-11-05T21:00:00+08:00", null);
    assertEquals(70, balance(c), "twice the same day earns once");
    event(c, "sign_in", null, "2026-11-07T09:00:00+08:00", null);
    assertEquals(75, balance(c), "a missed day starts the streak over");
  }

  @Test
  void surveysEarnFiftyAndAReplayEarnsNothing() {
    long c = contact();
    String id = "survey-" + UUID.randomUUID();
    JsonObject e = new JsonObject().put("id", id).put("type", "survey.completed").put("contact_id", c);
    assertEquals(201, server.api().post("/api/v1/events", e).status());
    assertEquals(200, server.api().post("/api/v1/events", e).status());
    assertEquals(50, balance(c));
    assertEquals("event:" + id, server.api().get("/api/v1/contacts/" + c + "/points/ledger").items().getJsonObject(0).getString("key"));
  }

  @Test
  void aStreakRunsThroughTheTwentyNinthOfFebruary() {
    long c = contact();
    for (String day : new String[] {"2024-02-28", "2024-02-29", "2024-03-01"}) {
      event(c, "sign_in", null, day + "T09:00:00+08:00", null);
    }
    assertEquals(5 + 10 + 15, balance(c));
  }
}
