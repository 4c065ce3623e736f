package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * Palette steps write in the engine's transaction: a grant (with its stock and its event), a tag
 * and a touch made by steps of a transaction that then fails are all undone with it, and the
 * entry made again later grants, tags and sends exactly once.
 */
class StepTransactionTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void whatAFailedTransactionsStepsWroteIsUndoneWithIt() throws Exception {
    String key = JourneyDeployTest.key();
    String right = "gift-" + key;
    String attribute = "a_" + key;
    Reply created = api.post("/api/v1/rights", new JsonObject().put("code", right).put("name", "新人礼 " + key)
        .put("type", "coupon").put("validity_days", 30).put("stock", 5));
    assertEquals(201, created.status(), created.toString());
    JourneyDeployTest.tagGroup(api, key);
    // the step fails until "vip" is one of the attribute's values: the whole entry rolls back
    assertEquals(201, api.post("/api/v1/attributes", new JsonObject().put("key", attribute).put("type", "enum")
        .put("enum_values", new io.vertx.core.json.JsonArray().add("regular"))).status());
    String xml = JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "grant",
        JourneyDeployTest.task("grant", "grantRight", "tag", "right", right)
            + JourneyDeployTest.task("tag", "addTag", "send", "tagGroup", key, "tag", "新客")
            + JourneyDeployTest.task("send", "sendMessage", "mark", "template", "welcome", "channel", "log")
            + JourneyDeployTest.task("mark", "setAttribute", "end", "attribute", attribute, "value", "vip")
            + "<bpmn:endEvent id=\"end\" />");
    assertEquals(201, JourneyDeployTest.deploy(api, xml).status());
    long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key)).json().getLong("id");

    Reply failed = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertTrue(failed.status() >= 400, failed.toString());
    assertEquals(0, count("SELECT count(*) FROM right_grants WHERE contact_id = ? AND right_code = '" + right + "'", contact));
    assertEquals(5, count("SELECT stock FROM rights WHERE code = '" + right + "'", 0), "the stock taken is given back");
    assertEquals(0, count("SELECT count(*) FROM events WHERE contact_id = ? AND type = 'right.granted'", contact));
    assertEquals(0, count("SELECT count(*) FROM contact_tags WHERE contact_id = ?", contact));
    assertEquals(0, count("SELECT count(*) FROM touches WHERE contact_id = ?", contact));
    assertEquals(0, count("SELECT count(*) FROM journey_entries WHERE contact_id = ?", contact));

    assertEquals(200, api.patch("/api/v1/attributes/" + attribute,
        new JsonObject().put("enum_values", new io.vertx.core.json.JsonArray().add("regular").add("vip"))).status());
    Reply entered = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertEquals(200, entered.status(), entered.toString());
    assertEquals(1, entered.json().getInteger("entered"));
    assertEquals(1, count("SELECT count(*) FROM right_grants WHERE contact_id = ? AND right_code = '" + right + "'", contact));
    assertEquals(4, count("SELECT stock FROM rights WHERE code = '" + right + "'", 0));
    assertEquals(1, count("SELECT count(*) FROM events WHERE contact_id = ? AND type = 'right.granted'", contact));
    assertEquals(1, count("SELECT count(*) FROM contact_tags WHERE contact_id = ?", contact));
    assertEquals(1, count("SELECT count(*) FROM touches WHERE contact_id = ?", contact));
    assertEquals("vip", api.get("/api/v1/contacts/" + contact).json().getJsonObject("attributes").getString(attribute));
    assertTrue(api.get("/api/v1/contacts/" + contact + "/tags").body().contains("新客"));
  }

  /** The single number a query answers; {@code ?} (if any) is the contact. */
  private static long count(String sql, long contact) throws Exception {
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      if (sql.contains("?")) {
        st.setLong(1, contact);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
