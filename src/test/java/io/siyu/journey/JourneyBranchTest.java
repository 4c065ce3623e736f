package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two gateways of the palette: an A/B split with a holdout, and a branch on contact data. */
class JourneyBranchTest {
  private static final Api api = TestSiyu.admin();

  private static String flow(String id, String from, String to, String name, String condition) {
    return "<bpmn:sequenceFlow id=\"" + id + "\" sourceRef=\"" + from + "\" targetRef=\"" + to + "\""
        + (name == null ? "" : " name=\"" + name + "\"") + (condition == null ? " />"
        : "><bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + condition + "</bpmn:conditionExpression></bpmn:sequenceFlow>");
  }

  private static long segmentOfName(String name, int members) {
    long segment = JourneyScanTest.segmentOfName(api, name);
    for (int i = 0; i < members; i++) {
      assertEquals(201, api.post("/api/v1/contacts", new JsonObject().put("external_userid", name + "-" + i).put("name", name)).status());
    }
    return segment;
  }

  @Test
  void anAbSplitIsDeterministicKeepsAHoldoutAndReportsEachBranch() throws Exception {
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"manual\" />", "split",
        "<bpmn:exclusiveGateway id=\"split\"><bpmn:extensionElements><camunda:properties>"
            + "<camunda:property name=\"siyu.split\" value=\"A:45,B:45,control:10\" /></camunda:properties>"
            + "</bpmn:extensionElements></bpmn:exclusiveGateway>"
            + flow("toA", "split", "sendA", "A", null) + flow("toB", "split", "sendB", "B", null)
            + flow("toControl", "split", "holdout", "control", null)
            + JourneyDeployTest.task("sendA", "sendMessage", "goalA", "template", JourneyDeployTest.template(api, "offer_a"))
            + JourneyDeployTest.task("goalA", "goalReached", "endA", "goal", "converted")
            + JourneyDeployTest.task("sendB", "sendMessage", "endB", "template", JourneyDeployTest.template(api, "offer_b"))
            + "<bpmn:endEvent id=\"endA\" /><bpmn:endEvent id=\"endB\" /><bpmn:endEvent id=\"holdout\" />");
    Reply deployed = JourneyDeployTest.deploy(api, xml);
    assertEquals(201, deployed.status(), deployed.toString());
    long segment = segmentOfName("ab-" + key, 200);

    Reply start = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("segment_id", segment));
    assertEquals(200, start.status(), start.toString());
    assertEquals(200, start.json().getInteger("entered"));

    Map<String, Integer> split = Split.parse("A:45,B:45,control:10");
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT e.contact_id, e.branch, (SELECT count(*) FROM touches t WHERE t.process_instance_id = e.process_instance_id) "
            + "FROM journey_entries e WHERE e.journey_key = ?")) {
      st.setString(1, key);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String branch = rs.getString(2);
          assertNotNull(branch);
          assertEquals(Split.choose(split, rs.getLong(1), key, "split"), branch, "the branch is a function of the contact");
          assertEquals(branch.equals("control") ? 0 : 1, rs.getInt(3), "the holdout receives nothing");
          counts.merge(branch, 1, Integer::sum);
        }
      }
    }
    // 200 contacts over 45/45/10: far outside these bounds only if the buckets were not spread
    assertTrue(counts.getOrDefault("A", 0) >= 60 && counts.getOrDefault("A", 0) <= 120, counts.toString());
    assertTrue(counts.getOrDefault("B", 0) >= 60 && counts.getOrDefault("B", 0) <= 120, counts.toString());
    assertTrue(counts.getOrDefault("control", 0) >= 5 && counts.getOrDefault("control", 0) <= 40, counts.toString());

    JsonObject funnel = TestSiyu.withRole("manager").get("/api/v1/journeys/" + key + "/funnel").json();
    Map<String, JsonObject> branches = new HashMap<>();
    funnel.getJsonArray("branches").forEach(b -> branches.put(((JsonObject) b).getString("branch"), (JsonObject) b));
    assertEquals((long) counts.get("A"), branches.get("A").getLong("entered"), funnel.encode());
    assertEquals((long) counts.get("A"), branches.get("A").getLong("goal_reached"), funnel.encode());
    assertEquals(0L, branches.get("B").getLong("goal_reached"), funnel.encode());
    assertEquals((long) counts.get("control"), branches.get("control").getLong("entered"), funnel.encode());
  }

  @Test
  void aGatewayBranchesOnTheContactsCurrentData() throws Exception {
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"manual\" />", "growth",
        JourneyDeployTest.task("growth", "awardGrowth", "which", "growth", "10")
            + "<bpmn:exclusiveGateway id=\"which\" default=\"toOther\" />"
            + flow("toGold", "which", "tagGold", null, "${contact.tier == '金卡'}")
            + flow("toVip", "which", "tagVip", null, "${contact.tags.contains('" + key + "/VIP')}")
            + flow("toRich", "which", "tagRich", null, "${contact.points_balance >= 100}")
            + flow("toOther", "which", "tagOther", null, null)
            + JourneyDeployTest.task("tagGold", "addTag", "end", "tagGroup", JourneyDeployTest.tagGroup(api, key), "tag", "gold")
            + JourneyDeployTest.task("tagVip", "addTag", "end", "tagGroup", key, "tag", "vip")
            + JourneyDeployTest.task("tagRich", "addTag", "end", "tagGroup", key, "tag", "rich")
            + JourneyDeployTest.task("tagOther", "addTag", "end", "tagGroup", key, "tag", "other")
            + "<bpmn:endEvent id=\"end\" />");
    assertEquals(201, JourneyDeployTest.deploy(api, xml).status());
    long gold = contact(key, "gold");
    long vip = contact(key, "vip");
    long rich = contact(key, "rich");
    long other = contact(key, "other");
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(
        "UPDATE contacts SET tier = CASE WHEN id = ? THEN '金卡' ELSE tier END, "
            + "points_balance = CASE WHEN id = ? THEN 150 ELSE points_balance END WHERE id IN (?, ?)")) {
      st.setLong(1, gold);
      st.setLong(2, rich);
      st.setLong(3, gold);
      st.setLong(4, rich);
      st.executeUpdate();
    }
    long vipTag = io.siyu.async.Blocking.await(TestSiyu.get().services().tags().ensure(key, "VIP"));
    assertEquals(200, api.post("/api/v1/tags/" + vipTag + "/contacts",
        new JsonObject().put("contact_ids", new JsonArray().add(vip))).status());

    for (long c : new long[] {gold, vip, rich, other}) {
      Reply r = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", c));
      assertEquals(1, r.json().getInteger("entered"), r.toString());
    }
    assertTrue(tags(gold).contains(key + "/gold"), tags(gold));
    assertTrue(tags(vip).contains(key + "/vip"), tags(vip));
    assertTrue(tags(rich).contains(key + "/rich"), tags(rich));
    assertTrue(tags(other).contains(key + "/other"), tags(other));
    assertEquals(10, api.get("/api/v1/contacts/" + other).json().getInteger("growth_value"), "growth awarded in the entry's transaction");
  }

  /** Every form of the condition language runs in the engine: attributes, string tests, empty, not, or. */
  @Test
  void theConditionLanguageRunsInTheEngine() {
    String key = JourneyDeployTest.key();
    String city = "city_" + key;
    assertEquals(201, api.post("/api/v1/attributes", new JsonObject().put("key", city).put("type", "string")).status());
    String xml = JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"manual\" />", "which",
        "<bpmn:exclusiveGateway id=\"which\" default=\"toOther\" />"
            + flow("toMatch", "which", "tagMatch", null, "${contact.attributes." + city + " == '上海' and contact.name.endsWith('雷') "
                + "and not empty contact.tier and (contact.name.contains('李') or contact.purchase_count &gt; 5)}")
            + flow("toOther", "which", "tagOther", null, null)
            + JourneyDeployTest.task("tagMatch", "addTag", "end", "tagGroup", JourneyDeployTest.tagGroup(api, key), "tag", "match")
            + JourneyDeployTest.task("tagOther", "addTag", "end", "tagGroup", key, "tag", "other")
            + "<bpmn:endEvent id=\"end\" />");
    assertEquals(201, JourneyDeployTest.deploy(api, xml).status());
    long match = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key + "-m").put("name", "李雷")
        .put("attributes", new JsonObject().put(city, "上海"))).json().getLong("id");
    long other = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key + "-o").put("name", "韩梅梅")
        .put("attributes", new JsonObject().put(city, "上海"))).json().getLong("id");
    for (long c : new long[] {match, other}) {
      Reply r = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", c));
      assertEquals(1, r.json().getInteger("entered"), r.toString());
    }
    assertTrue(tags(match).contains(key + "/match"), tags(match));
    assertTrue(tags(other).contains(key + "/other"), tags(other));
  }

  private static long contact(String key, String which) {
    return api.post("/api/v1/contacts", new JsonObject().put("external_userid", key + "-" + which)).json().getLong("id");
  }

  /** The contact's tags as "group/name" strings. */
  private static String tags(long contact) {
    StringBuilder out = new StringBuilder();
    api.get("/api/v1/contacts/" + contact + "/tags").json().getJsonArray("items").forEach(t -> {
      JsonObject tag = (JsonObject) t;
      out.append(tag.getString("group")).append('/').append(tag.getString("name")).append(' ');
    });
    return out.toString();
  }
}
