package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Deploying journeys: shipped files at start, uploads, validation that names each element, versions, roles. */
class JourneyDeployTest {
  private static final Api api = TestSiyu.admin();

  static Reply deploy(Api client, String xml) {
    return client.send(HttpMethod.POST, "/api/v1/journeys", "application/xml", Buffer.buffer(xml));
  }

  /** A minimal journey around {@code body} (elements after the start event, which flows to {@code first}). */
  static String journey(String key, String startProperties, String first, String body) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://siyu.io/test">
          <bpmn:process id="%s" name="Test %s" isExecutable="true">
            <bpmn:startEvent id="start">
              <bpmn:extensionElements><camunda:properties>%s</camunda:properties></bpmn:extensionElements>
            </bpmn:startEvent>
            <bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="%s" />
            %s
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, key, startProperties, first, body);
  }

  static String manual() {
    return "<camunda:property name=\"siyu.trigger\" value=\"manual\" /><camunda:property name=\"siyu.reentry\" value=\"always\" />";
  }

  static String task(String id, String bean, String next, String... inputs) {
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < inputs.length; i += 2) {
      params.append("<camunda:inputParameter name=\"").append(inputs[i]).append("\">").append(inputs[i + 1])
          .append("</camunda:inputParameter>");
    }
    return "<bpmn:serviceTask id=\"" + id + "\" camunda:delegateExpression=\"${" + bean + "}\">"
        + "<bpmn:extensionElements><camunda:inputOutput>" + params + "</camunda:inputOutput></bpmn:extensionElements>"
        + "</bpmn:serviceTask><bpmn:sequenceFlow id=\"to_" + next + "_from_" + id + "\" sourceRef=\"" + id + "\" targetRef=\"" + next + "\" />";
  }

  /** Template {@code key} on the server {@code client} talks to, made (with one default variant) when it is missing. */
  static String template(Api client, String key) {
    if (client.get("/api/v1/templates/" + key).status() == 404) {
      Reply made = client.post("/api/v1/templates", new JsonObject().put("key", key).put("kind", "marketing")
          .put("variants", new JsonArray().add(new JsonObject().put("channel", "default").put("locale", "zh-CN")
              .put("body", "Test template " + key))));
      assertTrue(made.status() == 201 || made.status() == 409, made.toString());
    }
    return key;
  }

  /** Tag group {@code name} on the server {@code client} talks to, made when it is missing (journeys tag in existing groups). */
  static String tagGroup(Api client, String name) {
    Reply made = client.post("/api/v1/tag-groups", new JsonObject().put("name", name));
    assertTrue(made.status() == 201 || made.status() == 409, made.toString());
    return name;
  }

  static String key() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Test
  void shippedJourneysAreDeployedAtStart() {
    Reply r = api.get("/api/v1/journeys/welcome");
    assertEquals(200, r.status(), r.toString());
    JsonObject j = r.json();
    assertEquals("active", j.getString("status"));
    assertEquals("event", j.getJsonObject("trigger").getString("type"));
    assertEquals(new JsonArray().add("member.registered").add("wecom.contact_added"), j.getJsonObject("trigger").getJsonArray("events"));
    assertEquals("once", j.getString("reentry"));
    assertTrue(j.getJsonArray("versions").size() >= 1);
  }

  @Test
  void anUnchangedUploadMakesNoNewVersionAndAChangedOneDoes() {
    String key = key();
    String xml = journey(key, manual(), "tag", task("tag", "addTag", "end", "tagGroup", "客户阶段", "tag", "A")
        + "<bpmn:endEvent id=\"end\" />");
    Reply first = deploy(api, xml);
    assertEquals(201, first.status(), first.toString());
    assertEquals(1, first.json().getInteger("version"));
    Reply again = deploy(api, xml);
    assertEquals(200, again.status(), again.toString());
    assertEquals(1, again.json().getInteger("version"));
    assertFalse(again.json().getBoolean("changed"));
    Reply changed = deploy(api, xml.replace("value=\"always\"", "value=\"once\""));
    assertEquals(201, changed.status(), changed.toString());
    assertEquals(2, changed.json().getInteger("version"));
    assertEquals("once", api.get("/api/v1/journeys/" + key).json().getString("reentry"));
  }

  @Test
  void invalidUploadsListEveryElementAndDeployNothing() {
    String key = key();
    String xml = journey(key, "<camunda:property name=\"siyu.trigger\" value=\"event\" />", "unknown",
        "<bpmn:serviceTask id=\"unknown\" camunda:class=\"com.evil.Task\" />"
            + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"unknown\" targetRef=\"send\" />"
            + task("send", "sendMessage", "points", "channel", "pigeon")
            + task("points", "awardPoints", "script", "points", "-5")
            + "<bpmn:scriptTask id=\"script\" scriptFormat=\"javascript\"><bpmn:script>1</bpmn:script></bpmn:scriptTask>"
            + "<bpmn:sequenceFlow id=\"s2\" sourceRef=\"script\" targetRef=\"end\" /><bpmn:endEvent id=\"end\" />");
    Reply r = deploy(api, xml);
    assertEquals(422, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    JsonArray problems = r.json().getJsonArray("problems");
    List<String> elements = problems.stream().map(p -> ((JsonObject) p).getString("element")).toList();
    assertTrue(elements.contains("start"), problems.encodePrettily()); // event trigger without siyu.event
    assertTrue(elements.contains("unknown"), problems.encodePrettily());
    assertTrue(elements.contains("script"), problems.encodePrettily());
    assertTrue(problems.stream().anyMatch(p -> ((JsonObject) p).getString("element").equals("send")
        && ((JsonObject) p).getString("problem").contains("missing required field template")), problems.encodePrettily());
    assertTrue(problems.stream().anyMatch(p -> ((JsonObject) p).getString("element").equals("send")
        && ((JsonObject) p).getString("problem").contains("channel")), problems.encodePrettily());
    assertTrue(problems.stream().anyMatch(p -> ((JsonObject) p).getString("element").equals("points")
        && ((JsonObject) p).getString("problem").contains("above 0")), problems.encodePrettily());
    assertEquals(404, api.get("/api/v1/journeys/" + key).status());
  }

  @Test
  void namesThatDoNotExistAreRefusedAtDeployByElement() {
    String key = key();
    String segmentTrigger = "<camunda:property name=\"siyu.trigger\" value=\"segment\" />"
        + "<camunda:property name=\"siyu.segment\" value=\"987654321\" />";
    Reply r = deploy(api, journey(key, segmentTrigger, "send",
        task("send", "sendMessage", "grant", "template", "no_such_template")
            + task("grant", "grantRight", "tag", "right", "no-such-right")
            + task("tag", "addTag", "untag", "tagGroup", "没有这个组", "tag", "x")
            + task("untag", "removeTag", "mark", "tagGroup", "客户阶段", "tag", "made-on-first-use-" + key)
            + task("mark", "setAttribute", "end", "attribute", "no_such_attribute", "value", "1")
            + "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, r.status(), r.toString());
    JsonArray problems = r.json().getJsonArray("problems");
    for (String[] expected : new String[][] {{"start", "segment 987654321"}, {"send", "template no_such_template"},
        {"grant", "right no-such-right"}, {"tag", "tag group 没有这个组"}, {"mark", "attribute no_such_attribute"}}) {
      assertTrue(problems.stream().map(JsonObject.class::cast).anyMatch(p -> p.getString("element").equals(expected[0])
          && p.getString("problem").startsWith(expected[1] + " does not exist")), expected[0] + ": " + problems.encodePrettily());
    }
    assertEquals(5, problems.size(), "a tag is made on first use, in a group that exists: " + problems.encodePrettily());
    assertEquals(404, api.get("/api/v1/journeys/" + key).status());
  }

  @Test
  void brokenXmlAndEntitiesAreRejected() {
    Reply broken = deploy(api, "<bpmn:definitions");
    assertEquals(422, broken.status(), broken.toString());
    assertEquals("(file)", broken.json().getJsonArray("problems").getJsonObject(0).getString("element"));
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + journey(key(), manual(), "end", "<bpmn:endEvent id=\"end\" />").replaceFirst("<\\?xml[^>]*>", "").replace("Test", "&x;");
    Reply entity = deploy(api, xxe);
    assertEquals(422, entity.status(), entity.toString());
    assertTrue(entity.body().contains("DOCTYPE"), entity.toString());
    assertFalse(entity.body().contains("root:"), entity.toString());
  }

  @Test
  void anEngineParseErrorIsReportedByElement() {
    String key = key();
    // a flow to an element that does not exist: the engine's own parser refuses it
    Reply r = deploy(api, journey(key, manual(), "nowhere", "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, r.status(), r.toString());
    assertFalse(r.json().getJsonArray("problems").isEmpty());
    assertEquals(404, api.get("/api/v1/journeys/" + key).status());
  }

  @Test
  void thePalettesEmptyFieldsAreFieldsNotGiven() {
    // the journey trigger and the send window as the palette writes them: every field, those left empty too
    String key = key();
    String empty = "<camunda:property name=\"siyu.event\" value=\"\" /><camunda:property name=\"siyu.match\" value=\"\" />"
        + "<camunda:property name=\"siyu.segment\" value=\"\" /><camunda:property name=\"siyu.hour\" value=\"\" />"
        + "<camunda:property name=\"siyu.cron\" value=\"\" /><camunda:property name=\"siyu.existing\" value=\"\" />";
    String window = "<bpmn:intermediateCatchEvent id=\"window\"><bpmn:extensionElements><camunda:properties>"
        + "<camunda:property name=\"siyu.task\" value=\"sendWindow\" /><camunda:property name=\"siyu.window\" value=\"\" />"
        + "</camunda:properties></bpmn:extensionElements></bpmn:intermediateCatchEvent>"
        + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"window\" targetRef=\"end\" /><bpmn:endEvent id=\"end\" />";
    Reply r = deploy(api, journey(key, manual() + empty, "window", window));
    assertEquals(201, r.status(), r.toString());
    JsonObject trigger = api.get("/api/v1/journeys/" + key).json().getJsonObject("trigger");
    assertEquals("manual", trigger.getString("type"));
    assertEquals(9, trigger.getInteger("hour"), "the default hour");
    assertEquals(new JsonObject(), trigger.getJsonObject("match"));

    // an event trigger still needs its event types, empty or not
    Reply refused = deploy(api, journey(key(), empty.replace("siyu.event\" value=\"\"", "siyu.trigger\" value=\"event\"")
        + "<camunda:property name=\"siyu.event\" value=\" \" />", "end", "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, refused.status(), refused.toString());
    assertEquals(1, refused.json().getJsonArray("problems").size(), refused.toString());
    assertTrue(refused.body().contains("an event trigger needs siyu.event"), refused.toString());
  }

  @Test
  void onlyWritersDeployAndManagersRead() {
    String xml = journey(key(), manual(), "end", "<bpmn:endEvent id=\"end\" />");
    assertEquals(403, deploy(TestSiyu.withRole("manager"), xml).status());
    assertEquals(403, deploy(TestSiyu.withRole("integration"), xml).status());
    assertEquals(401, deploy(TestSiyu.anonymous(), xml).status());
    assertEquals(200, TestSiyu.withRole("manager").get("/api/v1/journeys").status());
  }
}
