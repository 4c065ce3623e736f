package io.siyu.wecom.channelcode;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.contact.ContactCallbacks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channel QR codes over the API against WeCom's contact-way API on loopback: creating (one or
 * several staff members), bad requests and WeCom refusals that store nothing, listing, retiring,
 * what an add through a code does to the contact, and the code's numbers by day.
 */
class ChannelCodeApiTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env(), TestSiyu.noJourneys());

  private static JsonObject create(JsonObject body) {
    Reply r = server.api().post("/api/v1/channel-codes", body);
    assertEquals(201, r.status(), r.toString());
    assertEquals("/api/v1/channel-codes/" + r.json().getLong("id"), r.headers().get("Location"));
    return r.json();
  }

  private static JsonObject tag(String group, String name) {
    Reply g = server.api().post("/api/v1/tag-groups", new JsonObject().put("name", group));
    long groupId = g.status() == 201 ? g.json().getLong("id") : server.api().get("/api/v1/tag-groups?limit=500").items()
        .stream().map(o -> (JsonObject) o).filter(x -> x.getString("name").equals(group)).findFirst().orElseThrow()
        .getLong("id");
    Reply t = server.api().post("/api/v1/tags", new JsonObject().put("group_id", groupId).put("name", name));
    assertEquals(201, t.status(), t.toString());
    return t.json();
  }

  private static int allCodes() {
    return server.api().get("/api/v1/channel-codes?limit=500").items().size();
  }

  private static int wayRequests() {
    return wecom.requests(WecomClient.ADD_CONTACT_WAY).size();
  }

  @Test
  void aCodeIsMadeAtWecomWithAStateOfSiyusOwn() {
    JsonObject tag = tag("渠道", "海报-" + unique());
    JsonObject single = create(new JsonObject().put("name", "门店海报").put("staff", new JsonArray().add("zhangsan"))
        .put("tags", new JsonArray().add(tag.getLong("id"))));
    assertEquals("active", single.getString("status"));
    assertTrue(single.getString("config_id").startsWith("cfg-"), single.encode());
    assertEquals("https://p.qpic.cn/wwpic/" + single.getString("config_id") + ".png", single.getString("qr_code"));
    assertEquals(new JsonArray().add(new JsonObject().put("id", tag.getLong("id")).put("group", "渠道")
        .put("name", tag.getString("name"))), single.getJsonArray("tags"));
    assertEquals(true, single.getBoolean("skip_verify"));
    JsonObject asked = wecom.directory().contactWay(single.getString("config_id"));
    assertEquals(1, asked.getInteger("type"));
    assertEquals(2, asked.getInteger("scene"));
    assertEquals(new JsonArray().add("zhangsan"), asked.getJsonArray("user"));
    assertEquals(single.getString("state"), asked.getString("state"));
    assertTrue(single.getString("state").length() <= 30, single.getString("state"));

    JsonObject multi = create(new JsonObject().put("name", "线上活动").put("staff", new JsonArray().add("zhangsan").add("lisi"))
        .put("skip_verify", false));
    JsonObject askedMulti = wecom.directory().contactWay(multi.getString("config_id"));
    assertEquals(2, askedMulti.getInteger("type"));
    assertEquals(false, askedMulti.getBoolean("skip_verify"));
    assertNotEquals(single.getString("state"), multi.getString("state"));
    assertEquals(multi, server.api().get("/api/v1/channel-codes/" + multi.getLong("id")).json());
  }

  @Test
  void badRequestsAreProblemsAndStoreNothing() {
    String group = "渠道-" + unique();
    tag(group, "门店");
    deploy(journeyXml("cc" + unique()));
    int before = allCodes();
    int wecomBefore = wayRequests();
    JsonArray staff = new JsonArray().add("zhangsan");
    Map<String, JsonObject> bad = Map.of(
        "name", new JsonObject().put("staff", staff),
        "staff", new JsonObject().put("name", "x").put("staff", new JsonArray()),
        "staff[1]", new JsonObject().put("name", "x").put("staff", new JsonArray().add("ok").add("not a userid")),
        "tags[0]", new JsonObject().put("name", "x").put("staff", staff).put("tags", new JsonArray().add(999_999_999)),
        "tags[1]", new JsonObject().put("name", "x").put("staff", staff).put("tags", new JsonArray()
            .add(new JsonObject().put("group", group).put("name", "门店"))
            .add(new JsonObject().put("group", group).put("name", "不存在"))),
        "journey_key", new JsonObject().put("name", "x").put("staff", staff).put("journey_key", "no_such_journey"),
        "colour", new JsonObject().put("name", "x").put("staff", staff).put("colour", "red"),
        "skip_verify", new JsonObject().put("name", "x").put("staff", staff).put("skip_verify", "yes"));
    bad.forEach((field, body) -> {
      Reply r = server.api().post("/api/v1/channel-codes", body);
      assertEquals(422, r.status(), field + ": " + r);
      assertEquals("application/problem+json", r.contentType());
      assertEquals(field, r.errorField(), r.toString());
    });
    Reply notJson = server.api().send(HttpMethod.POST, "/api/v1/channel-codes", "application/json", Buffer.buffer("[1]"));
    assertEquals(400, notJson.status(), notJson.toString());
    assertEquals(before, allCodes());
    assertEquals(wecomBefore, wayRequests(), "nothing reached WeCom");
  }

  @Test
  void whenWecomRefusesNothingIsStored() {
    int before = allCodes();
    wecom.answerNext(1, 40058, "invalid parameter");
    Reply refused = server.api().post("/api/v1/channel-codes", new JsonObject().put("name", "x").put("staff",
        new JsonArray().add("zhangsan")));
    assertEquals(502, refused.status(), refused.toString());
    assertEquals("wecom-error", refused.problemType());
    assertEquals(40058, refused.json().getInteger("errcode"));
    assertEquals(false, refused.json().getBoolean("retryable"));

    wecom.answerNext(3, -1, "system busy");
    Reply busy = server.api().post("/api/v1/channel-codes", new JsonObject().put("name", "x").put("staff",
        new JsonArray().add("zhangsan")));
    assertEquals(502, busy.status(), busy.toString());
    assertEquals(true, busy.json().getBoolean("retryable"));
    assertEquals(before, allCodes());
  }

  @Test
  void codesAreListedByStatusAndRetiredAtWecomButKept() {
    JsonObject a = create(new JsonObject().put("name", "A").put("staff", new JsonArray().add("zhangsan")));
    JsonObject b = create(new JsonObject().put("name", "B").put("staff", new JsonArray().add("lisi")));

    Reply retired = server.api().post("/api/v1/channel-codes/" + a.getLong("id") + "/retire", null);
    assertEquals(200, retired.status(), retired.toString());
    assertEquals("retired", retired.json().getString("status"));
    assertNotNull(retired.json().getString("retired_at"));
    List<FakeWecom.Request> deletes = wecom.requests(WecomClient.DEL_CONTACT_WAY);
    assertEquals(a.getString("config_id"), deletes.get(deletes.size() - 1).body().getString("config_id"));
    assertNull(wecom.directory().contactWay(a.getString("config_id")));
    Reply again = server.api().post("/api/v1/channel-codes/" + a.getLong("id") + "/retire", null);
    assertEquals(200, again.status());
    assertEquals(deletes.size(), wecom.requests(WecomClient.DEL_CONTACT_WAY).size(), "retired once");

    JsonArray retiredList = server.api().get("/api/v1/channel-codes?status=retired&limit=500").items();
    JsonArray activeList = server.api().get("/api/v1/channel-codes?status=active&limit=500").items();
    assertTrue(ids(retiredList).contains(a.getLong("id")) && !ids(retiredList).contains(b.getLong("id")));
    assertTrue(ids(activeList).contains(b.getLong("id")) && !ids(activeList).contains(a.getLong("id")));
    assertEquals(422, server.api().get("/api/v1/channel-codes?status=lost").status());

    Reply first = server.api().get("/api/v1/channel-codes?limit=1");
    assertEquals(1, first.items().size());
    Reply second = server.api().get("/api/v1/channel-codes?limit=1&cursor=" + first.json().getString("next_cursor"));
    assertTrue(second.items().getJsonObject(0).getLong("id") < first.items().getJsonObject(0).getLong("id"),
        "the latest first");

    assertEquals(404, server.api().get("/api/v1/channel-codes/999999999").status());
    assertEquals(404, server.api().post("/api/v1/channel-codes/999999999/retire", null).status());
    Api manager = server.as(managerToken());
    assertEquals(200, manager.get("/api/v1/channel-codes/" + b.getLong("id")).status());
    assertEquals(403, manager.post("/api/v1/channel-codes", new JsonObject().put("name", "m")
        .put("staff", new JsonArray().add("zhangsan"))).status());
  }

  @Test
  void anAddThroughACodeTagsTheContactEntersItsJourneyAndNamesTheCodeAsSource() {
    String journey = "cc" + unique();
    deploy(journeyXml(journey));
    JsonObject byId = tag("渠道", "地推-" + unique());
    String group = "活动-" + unique();
    tag(group, "双十一");
    JsonObject code = create(new JsonObject().put("name", "地推").put("staff", new JsonArray().add("zhangsan"))
        .put("tags", new JsonArray().add(byId.getLong("id")).add(new JsonObject().put("group", group).put("name", "双十一")))
        .put("journey_key", journey));
    long codeId = code.getLong("id");

    String customer = "wm" + unique();
    var added = ContactCallbacks.add("zhangsan", customer, code.getString("state"), null);
    ContactCallbacks.handle(server.siyu(), added);
    ContactCallbacks.handle(server.siyu(), added);

    JsonObject contact = server.api().get("/api/v1/contacts?external_userid=" + customer).items().getJsonObject(0);
    long contactId = contact.getLong("id");
    assertEquals("channel_code:" + codeId, contact.getString("source"));
    JsonArray tags = server.api().get("/api/v1/contacts/" + contactId + "/tags").json().getJsonArray("items");
    assertEquals(2, tags.size(), tags.encode());
    assertTrue(tags.stream().allMatch(t -> ((JsonObject) t).getString("tagged_by").equals("channel_code:" + codeId)));
    assertEquals(2, server.api().get("/api/v1/contacts/" + contactId + "/tag-history").items().size(), "tagged once");
    JsonArray journeys = server.api().get("/api/v1/contacts/" + contactId + "/journeys").items();
    assertEquals(1, journeys.size(), journeys.encode());
    assertEquals(journey, journeys.getJsonObject(0).getString("journey_key"));
    assertEquals("channel_code:" + codeId, journeys.getJsonObject(0).getString("source"));
    JsonObject event = server.api().get("/api/v1/events/wecom:" + added.id()).json();
    assertEquals(codeId, event.getJsonObject("properties").getLong("channel_code_id"));
    JsonObject follow = server.api().get("/api/v1/contacts/" + contactId + "/wecom").json().getJsonArray("follows").getJsonObject(0);
    assertEquals(codeId, follow.getLong("channel_code_id"));
  }

  @Test
  void aCodesNumbersCountRelationsBegunAndEndedByDay() {
    JsonObject code = create(new JsonObject().put("name", "统计").put("staff", new JsonArray().add("s1").add("s2")));
    long id = code.getLong("id");
    String state = code.getString("state");
    String a = "wm" + unique();
    String b = "wm" + unique();
    String c = "wm" + unique();
    for (String customer : List.of(a, b, c)) {
      ContactCallbacks.handle(server.siyu(), ContactCallbacks.add("s1", customer, state, null));
    }
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.add("s1", a, state, null)); // the same relation again
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.of("del_follow_user", "s1", a));
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.of("del_external_contact", "s1", b));
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.add("s1", a, state, null)); // came back: a new relation
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.add("s2", c, null, null)); // not through the code

    JsonObject totals = server.api().get("/api/v1/channel-codes/" + id).json().getJsonObject("statistics");
    assertEquals(new JsonObject().put("adds", 4).put("deletions", 2).put("deleted_by_staff", 1)
        .put("deleted_by_customer", 1).put("net", 2).put("following", 2), totals);

    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    Reply byDay = server.api().get("/api/v1/channel-codes/" + id + "/statistics?from=" + today.minusDays(1) + "&to=" + today.plusDays(1));
    assertEquals(200, byDay.status(), byDay.toString());
    JsonArray days = byDay.json().getJsonArray("days");
    assertEquals(3, days.size());
    assertEquals(today.minusDays(1).toString(), days.getJsonObject(0).getString("day"));
    assertEquals(new JsonObject().put("adds", 4).put("deletions", 2).put("net", 2), byDay.json().getJsonObject("totals"));
    long dayAdds = days.stream().mapToLong(d -> ((JsonObject) d).getLong("adds")).sum();
    assertEquals(4, dayAdds);

    JsonObject quiet = server.api().get("/api/v1/channel-codes/" + id + "/statistics?from=2020-01-01&to=2020-01-03").json();
    assertEquals(3, quiet.getJsonArray("days").size());
    assertEquals(new JsonObject().put("adds", 0).put("deletions", 0).put("net", 0), quiet.getJsonObject("totals"));

    assertEquals(30, server.api().get("/api/v1/channel-codes/" + id + "/statistics").json().getJsonArray("days").size());
    for (String query : List.of("from=2026-02-01&to=2026-01-01", "from=yesterday", "from=2020-01-01&to=2022-01-01",
        "since=2026-01-01")) {
      Reply r = server.api().get("/api/v1/channel-codes/" + id + "/statistics?" + query);
      assertEquals(422, r.status(), query + ": " + r);
    }
    assertEquals(404, server.api().get("/api/v1/channel-codes/999999999/statistics").status());
  }

  private static java.util.Set<Long> ids(JsonArray items) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    items.forEach(o -> ids.add(((JsonObject) o).getLong("id")));
    return ids;
  }

  private static String managerToken() {
    Reply r = server.api().post("/api/v1/tokens", new JsonObject().put("name", "manager-" + unique()).put("role", "manager"));
    assertEquals(201, r.status(), r.toString());
    return r.json().getString("token");
  }

  private static void deploy(String xml) {
    Reply r = server.api().send(HttpMethod.POST, "/api/v1/journeys", "application/xml", Buffer.buffer(xml));
    assertEquals(201, r.status(), r.toString());
  }

  /** A journey entered by hand only (so the code's entry is the only way in) that waits a month. */
  private static String journeyXml(String key) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://siyu.io/test">
          <bpmn:process id="%s" name="Channel code %s" isExecutable="true">
            <bpmn:startEvent id="start">
              <bpmn:extensionElements><camunda:properties>
                <camunda:property name="siyu.trigger" value="manual" />
                <camunda:property name="siyu.reentry" value="always" />
              </camunda:properties></bpmn:extensionElements>
            </bpmn:startEvent>
            <bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="wait" />
            <bpmn:intermediateCatchEvent id="wait">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="s1" sourceRef="wait" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, key);
  }
}
