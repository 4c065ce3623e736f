package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /designer/choices}: everything the designer's dropdowns name, from this Siyu. */
class DesignerChoicesTest {
  private static final Api api = TestSiyu.admin();

  private static JsonObject find(JsonArray list, String field, Object value) {
    return list.stream().map(JsonObject.class::cast).filter(o -> String.valueOf(value).equals(String.valueOf(o.getValue(field)))).findFirst()
        .orElseThrow(() -> new AssertionError(field + "=" + value + " not in " + list.encode()));
  }

  @Test
  void theChoicesNameWhatThisSiyuHas() {
    String suffix = JourneyDeployTest.key();
    String template = "dc_" + suffix;
    assertEquals(201, api.post("/api/v1/templates", new JsonObject().put("key", template).put("kind", "marketing")
        .put("description", "选择 " + suffix).put("variants", new JsonArray()
            .add(new JsonObject().put("channel", "sms").put("locale", "zh-CN").put("body", "短信"))
            .add(new JsonObject().put("channel", "default").put("locale", "zh-CN").put("body", "默认")))).status());
    String right = "dc-" + suffix;
    Reply made = api.post("/api/v1/rights", new JsonObject().put("code", right).put("name", "权益 " + suffix)
        .put("type", "coupon").put("validity_days", 30));
    assertEquals(201, made.status(), made.toString());
    long segment = api.post("/api/v1/segments", new JsonObject().put("name", "分群 " + suffix)
        .put("filter", new JsonObject().put("field", "tier").put("op", "eq").put("value", "金卡"))).json().getLong("id");
    long group = api.post("/api/v1/tag-groups", new JsonObject().put("name", "组 " + suffix)).json().getLong("id");
    long tag = api.post("/api/v1/tags", new JsonObject().put("group_id", group).put("name", "标签 " + suffix)).json().getLong("id");
    String seenType = "designer.seen_" + suffix.toLowerCase();
    Reply event = api.post("/api/v1/events", new JsonObject().put("id", "dc-" + suffix).put("type", seenType)
        .put("contact", new JsonObject().put("external_userid", "dc-" + suffix)));
    assertTrue(event.status() == 201, event.toString());

    Reply r = TestSiyu.withRole("manager").get("/api/v1/designer/choices");
    assertEquals(200, r.status(), r.toString());
    JsonObject c = r.json();
    JsonObject t = find(c.getJsonArray("templates"), "key", template);
    assertEquals("选择 " + suffix, t.getString("name"));
    assertEquals(new JsonArray().add("default").add("sms"), t.getJsonArray("channels"));
    assertEquals("权益 " + suffix, find(c.getJsonArray("rights"), "code", right).getString("name"));
    assertEquals("分群 " + suffix, find(c.getJsonArray("segments"), "id", segment).getString("name"));
    JsonObject g = find(c.getJsonArray("tag_groups"), "id", group);
    assertEquals(1, g.getJsonArray("tags").size());
    assertEquals(tag, g.getJsonArray("tags").getJsonObject(0).getLong("id"));
    assertEquals("标签 " + suffix, g.getJsonArray("tags").getJsonObject(0).getString("name"));

    List<String> types = c.getJsonArray("event_types").stream().map(String.class::cast).toList();
    assertTrue(types.contains(seenType), "seen in the events: " + types);
    assertTrue(types.containsAll(List.of("member.registered", "purchase", "lifecycle.changed", "right.redeemed")), types.toString());
    assertEquals(types.stream().sorted().distinct().toList(), types, "sorted, once each");

    List<Object> channels = c.getJsonArray("channels").getList();
    assertTrue(channels.contains("log"), channels.toString());
    assertFalse(channels.contains("sms"), "the tests' server has no SMS gateway configured: " + channels);

    assertEquals(200, api.post("/api/v1/rights/" + made.json().getLong("id") + "/retire", null).status());
    assertTrue(TestSiyu.withRole("operator").get("/api/v1/designer/choices").json().getJsonArray("rights").stream()
        .map(JsonObject.class::cast).noneMatch(o -> o.getString("code").equals(right)), "a retired right is not offered");
    assertEquals(403, TestSiyu.withRole("integration").get("/api/v1/designer/choices").status());
  }
}
