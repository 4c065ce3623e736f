package io.siyu.loyalty.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.OwnServer;
import io.siyu.support.Api.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Growth value from events, tiers up at once, down only at the review. A server of its own: the review is global. */
class GrowthTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  private static long registered() {
    String openid = "g-" + UUID.randomUUID();
    Reply r = server.api().post("/api/v1/events", new JsonObject().put("id", "reg-" + openid).put("type", "member.registered")
        .put("contact", new JsonObject().put("openid", openid)));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("contact_id");
  }

  private static Reply purchase(long contact, String key, String amount) {
    return server.api().post("/api/v1/events", new JsonObject().put("id", key).put("type", "purchase")
        .put("contact_id", contact).put("amount", new BigDecimal(amount)));
  }

  private static JsonObject contact(long id) {
    return server.api().get("/api/v1/contacts/" + id).json();
  }

  @Test
  void growthFollowsTheRulesAndAReplayAddsNothing() {
    long c = registered();
    assertEquals(100, contact(c).getInteger("growth_value"));
    String key = "buy-" + UUID.randomUUID();
    assertEquals(201, purchase(c, key, "1899.99").status());
    assertEquals(200, purchase(c, key, "1899.99").status());
    JsonObject after = contact(c);
    assertEquals(1999, after.getInteger("growth_value"), "100 for registering + floor(1899.99 × 1)");
    assertEquals("普通", after.getString("tier"), "one short of 银卡");
    JsonArray history = server.api().get("/api/v1/contacts/" + c + "/growth?sort=id").items();
    assertEquals(2, history.size());
    assertEquals(key, history.getJsonObject(1).getString("event_id"));
    assertEquals(1899, history.getJsonObject(1).getInteger("points"));

    purchase(c, "buy-" + UUID.randomUUID(), "1.00");
    assertEquals("银卡", contact(c).getString("tier"), "exactly at the threshold is enough");
    JsonArray ups = server.api().get("/api/v1/events?type=tier.upgraded&contact_id=" + c).items();
    assertEquals(1, ups.size());
    assertEquals(new JsonObject().put("from", "普通").put("to", "银卡"), ups.getJsonObject(0).getJsonObject("properties"));
  }

  @Test
  void aBigPurchaseJumpsTiersWithOneEvent() {
    long c = registered();
    purchase(c, "buy-" + UUID.randomUUID(), "12000");
    assertEquals("金卡", contact(c).getString("tier"));
    JsonArray ups = server.api().get("/api/v1/events?type=tier.upgraded&contact_id=" + c).items();
    assertEquals(1, ups.size());
    assertEquals("金卡", ups.getJsonObject(0).getJsonObject("properties").getString("to"));
    Reply seg = server.api().post("/api/v1/segments/preview", new JsonObject().put("filter", new JsonObject().put("all", new JsonArray()
        .add(new JsonObject().put("field", "tier").put("op", "eq").put("value", "金卡"))
        .add(new JsonObject().put("field", "openid").put("op", "eq").put("value", contact(c).getString("openid"))))));
    assertEquals(1, seg.json().getLong("count"));
  }

  @Test
  void theReviewKeepsOnlyWhatTheLastTwelveMonthsEarned() throws Exception {
    long c = registered();
    String old = "buy-" + UUID.randomUUID();
    purchase(c, old, "9000");
    purchase(c, "buy-" + UUID.randomUUID(), "2500");
    assertEquals("金卡", contact(c).getString("tier"));
    try (Connection conn = server.siyu().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement("UPDATE growth_ledger SET created_at = now() - interval '13 months' "
            + "WHERE contact_id = ? AND event_type <> 'purchase' OR event_id = (SELECT id FROM events WHERE event_key = ?)")) {
      ps.setLong(1, c);
      ps.setString(2, old);
      ps.executeUpdate();
    }
    Reply review = server.api().post("/api/v1/loyalty/tier-review", new JsonObject());
    assertEquals(200, review.status(), review.toString());
    JsonObject after = contact(c);
    assertEquals(2500, after.getInteger("growth_value"));
    assertEquals("银卡", after.getString("tier"));
    JsonArray downs = server.api().get("/api/v1/events?type=tier.downgraded&contact_id=" + c).items();
    assertEquals(1, downs.size());
    assertEquals(new JsonObject().put("from", "金卡").put("to", "银卡"), downs.getJsonObject(0).getJsonObject("properties"));
    assertEquals(0, server.api().post("/api/v1/loyalty/tier-review", new JsonObject()).json().getInteger("downgraded"));
  }

  @Test
  void theTierTableIsPublishedAndBadRulesStopTheStart() {
    JsonArray tiers = server.api().get("/api/v1/loyalty/tiers").json().getJsonArray("tiers");
    assertEquals(5, tiers.size());
    assertEquals(new JsonObject().put("name", "钻石").put("threshold", 50000), tiers.getJsonObject(4));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> GrowthRules.parse(GrowthRules.DEFAULT_RULES, "银卡=2000,普通=0"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> GrowthRules.parse("purchase", GrowthRules.DEFAULT_TIERS));
  }
}
