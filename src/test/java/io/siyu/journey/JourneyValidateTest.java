package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code POST /journeys/validate}: every check of a deploy, each problem on its element, and nothing deployed. */
class JourneyValidateTest {
  private static final Api api = TestSiyu.admin();

  static Reply validate(Api client, String xml) {
    return client.send(HttpMethod.POST, "/api/v1/journeys/validate", "application/xml", Buffer.buffer(xml));
  }

  private static long deployments() throws Exception {
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM act_re_deployment")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static JsonObject problemOf(JsonArray problems, String element) {
    return problems.stream().map(JsonObject.class::cast).filter(p -> p.getString("element").equals(element)).findFirst()
        .orElseThrow(() -> new AssertionError("no problem names " + element + ": " + problems.encodePrettily()));
  }

  @Test
  void aSendWithoutATemplateIsA422NamingTheSendAndNothingIsDeployed() throws Exception {
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "send",
        JourneyDeployTest.task("send", "sendMessage", "end", "channel", "sms") + "<bpmn:endEvent id=\"end\" />");
    long before = deployments();
    Reply r = validate(api, xml);
    assertEquals(422, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    assertEquals("invalid-journey", r.problemType());
    assertTrue(problemOf(r.json().getJsonArray("problems"), "send").getString("problem").contains("template"), r.toString());
    assertEquals(before, deployments(), "a validation deploys nothing");
    assertEquals(404, api.get("/api/v1/journeys/" + key).status());
    // the same file deployed is refused with the same problems
    assertEquals(r.json().getJsonArray("problems"), JourneyDeployTest.deploy(api, xml).json().getJsonArray("problems"));
  }

  @Test
  void aGoodFileIsOkAndMakesNoVersion() throws Exception {
    String key = JourneyDeployTest.key();
    String template = JourneyDeployTest.template(api, "validate_ok");
    String xml = JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "send",
        JourneyDeployTest.task("send", "sendMessage", "end", "template", template) + "<bpmn:endEvent id=\"end\" />");
    long before = deployments();
    Reply r = validate(api, xml);
    assertEquals(200, r.status(), r.toString());
    assertEquals(new JsonObject().put("ok", true).put("key", key).put("name", "Test " + key), r.json());
    assertEquals(before, deployments());
    assertEquals(404, api.get("/api/v1/journeys/" + key).status());
    // the shipped journeys validate as they deploy
    for (String shipped : new String[] {"welcome", "birthday", "dormant"}) {
      Reply ok = validate(api, java.nio.file.Files.readString(java.nio.file.Path.of("bpmn", shipped + ".bpmn")));
      assertEquals(200, ok.status(), shipped + ": " + ok);
      assertEquals(shipped, ok.json().getString("key"));
    }
  }

  @Test
  void namesThatDoNotExistAndTheEnginesOwnParseAreChecked() throws Exception {
    String key = JourneyDeployTest.key();
    Reply missing = validate(api, JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "send",
        JourneyDeployTest.task("send", "sendMessage", "end", "template", "no_such_template_" + key)
            + "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, missing.status(), missing.toString());
    assertTrue(problemOf(missing.json().getJsonArray("problems"), "send").getString("problem")
        .startsWith("template no_such_template_"), missing.toString());

    long before = deployments();
    // an event-based gateway in front of a task passes Siyu's checks; only the engine's parse refuses it
    Reply parse = validate(api, JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "gateway",
        "<bpmn:eventBasedGateway id=\"gateway\" /><bpmn:sequenceFlow id=\"g1\" sourceRef=\"gateway\" targetRef=\"tag\" />"
            + JourneyDeployTest.task("tag", "addTag", "end", "tagGroup", "客户阶段", "tag", "x")
            + "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, parse.status(), parse.toString());
    assertTrue(problemOf(parse.json().getJsonArray("problems"), "gateway").getString("problem")
        .contains("intermediateCatchEvent"), parse.toString());
    assertEquals(before, deployments());
  }

  @Test
  void aReservedKeyIsRefusedOnTheProcess() {
    Reply r = validate(api, JourneyDeployTest.journey("samples", JourneyDeployTest.manual(), "end", "<bpmn:endEvent id=\"end\" />"));
    assertEquals(422, r.status(), r.toString());
    assertTrue(problemOf(r.json().getJsonArray("problems"), "samples").getString("problem").contains("another route"));
  }

  @Test
  void onlyWritersValidate() {
    String xml = JourneyDeployTest.journey(JourneyDeployTest.key(), JourneyDeployTest.manual(), "end", "<bpmn:endEvent id=\"end\" />");
    assertEquals(200, validate(TestSiyu.withRole("operator"), xml).status());
    assertEquals(403, validate(TestSiyu.withRole("manager"), xml).status());
    assertEquals(401, validate(TestSiyu.anonymous(), xml).status());
    assertEquals(400, validate(api, " ").status());
  }
}
