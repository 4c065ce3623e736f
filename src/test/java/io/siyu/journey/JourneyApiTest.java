package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Manual starts, re-entry, pause, cancel and the funnel's errors, over the API. */
class JourneyApiTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void manualStartRespectsReentryAndPause() {
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key,
        "<camunda:property name=\"siyu.trigger\" value=\"manual\" /><camunda:property name=\"siyu.reentry\" value=\"once\" />",
        "tag", JourneyDeployTest.task("tag", "addTag", "wait", "tagGroup", "客户阶段", "tag", key)
            + "<bpmn:intermediateCatchEvent id=\"wait\"><bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration>"
            + "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
            + "<bpmn:sequenceFlow id=\"s9\" sourceRef=\"wait\" targetRef=\"end\" /><bpmn:endEvent id=\"end\" />");
    assertEquals(201, JourneyDeployTest.deploy(api, xml).status());
    long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "j-" + key)).json().getLong("id");

    Reply first = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertEquals(200, first.status(), first.toString());
    assertEquals(1, first.json().getInteger("entered"));
    assertTrue(api.get("/api/v1/contacts/" + contact + "/tags").body().contains(key));
    Reply again = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertEquals(0, again.json().getInteger("entered"), again.toString());
    assertEquals(1, again.json().getInteger("already_entered"));

    JsonObject funnel = api.get("/api/v1/journeys/" + key + "/funnel").json();
    assertEquals(1, funnel.getLong("entered"));
    assertEquals(0, funnel.getLong("exited"));

    String instance = first.json().getJsonArray("process_instance_ids").getString(0);
    assertEquals(204, api.delete("/api/v1/journeys/instances/" + instance).status());
    assertEquals(404, api.delete("/api/v1/journeys/instances/" + instance).status());
    assertEquals(1, api.get("/api/v1/journeys/" + key + "/funnel").json().getLong("exited"));

    assertEquals("paused", api.post("/api/v1/journeys/" + key + "/pause", new JsonObject()).json().getString("status"));
    long other = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "j2-" + key)).json().getLong("id");
    Reply paused = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", other));
    assertEquals(409, paused.status(), paused.toString());
    assertEquals(0, api.get("/api/v1/contacts/" + other + "/journeys").items().size());
  }

  @Test
  void badStartsAndFunnelsAreProblems() {
    assertEquals(404, api.post("/api/v1/journeys/no_such/start", new JsonObject().put("contact_id", 1)).status());
    assertEquals(422, api.post("/api/v1/journeys/welcome/start", new JsonObject()).status());
    assertEquals(422, api.post("/api/v1/journeys/welcome/start", new JsonObject().put("contact_id", 1).put("x", 1)).status());
    assertEquals(404, api.post("/api/v1/journeys/welcome/start", new JsonObject().put("contact_id", 999_999_999)).status());
    assertEquals(404, api.get("/api/v1/journeys/no_such/funnel").status());
    Reply bad = api.get("/api/v1/journeys/welcome/funnel?since=2026-01-01");
    assertEquals(422, bad.status(), bad.toString());
    assertEquals(403, TestSiyu.withRole("manager").post("/api/v1/journeys/welcome/pause", new JsonObject()).status());
  }
}
