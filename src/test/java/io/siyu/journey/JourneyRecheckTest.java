package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.journey.step.Journeys;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Journeys already in the engine are checked again at every start: a version holding what the
 * allow-list refuses (put there before the rule existed, or past Siyu) is suspended with its
 * instances and reported on its journey, and the journey takes no entries until a corrected file
 * is deployed.
 */
class JourneyRecheckTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  private static String journey(String key, String condition) {
    return JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "hold",
        "<bpmn:receiveTask id=\"hold\" messageRef=\"never\" /><bpmn:sequenceFlow id=\"s1\" sourceRef=\"hold\" targetRef=\"g\" />"
            + "<bpmn:exclusiveGateway id=\"g\" default=\"plain\" />"
            + "<bpmn:sequenceFlow id=\"odd\" sourceRef=\"g\" targetRef=\"end\"><bpmn:conditionExpression>" + condition
            + "</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id=\"plain\" sourceRef=\"g\" targetRef=\"end\" />"
            + "<bpmn:endEvent id=\"end\" />")
        .replace("</bpmn:process>", "</bpmn:process><bpmn:message id=\"never\" name=\"never\" />");
  }

  @Test
  void aRefusedVersionIsSuspendedAtStartAndACorrectedOneActivatesTheJourney() throws Exception {
    Api api = server.api();
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, journey(key, "${contact.tier == '金卡'}")).status());
    // version 2, straight into the engine: a condition outside the language, which the engine parses
    ProcessEngine engine = server.siyu().services().journeys().engine().engine();
    engine.getRepositoryService().createDeployment().name(key)
        .addString(key + ".bpmn", journey(key, "${contact.tier.getClass() != null}")).deploy();
    ProcessDefinition v2 = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key)
        .latestVersion().singleResult();
    assertEquals(2, v2.getVersion());
    ProcessInstance waiting = engine.getRuntimeService().startProcessInstanceById(v2.getId(), "1:test");

    Siyu restarted = server.secondInstance(Map.of());
    try {
      assertTrue(engine.getRepositoryService().getProcessDefinition(v2.getId()).isSuspended(), "version 2 runs on");
      assertTrue(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(waiting.getId())
          .singleResult().isSuspended(), "its instance runs on");
      ProcessDefinition v1 = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key)
          .processDefinitionVersion(1).singleResult();
      assertFalse(v1.isSuspended(), "the clean version was suspended too");

      JsonObject j = api.get("/api/v1/journeys/" + key).json();
      assertEquals("suspended", j.getString("status"), j.encodePrettily());
      JsonObject refusal = j.getJsonArray("refused").getJsonObject(0);
      assertEquals(2, refusal.getInteger("version"));
      JsonArray problems = refusal.getJsonArray("problems");
      assertEquals("odd", problems.getJsonObject(0).getString("element"), problems.encodePrettily());
      assertTrue(problems.getJsonObject(0).getString("problem").contains("getClass"), problems.encodePrettily());

      long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "recheck-" + key)).json().getLong("id");
      Reply start = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
      assertEquals(409, start.status(), start.toString());
      assertEquals("journey-suspended", start.problemType().replaceAll(".*/", ""), start.toString());
      Reply activate = api.post("/api/v1/journeys/" + key + "/activate", new JsonObject());
      assertEquals(409, activate.status(), activate.toString());

      // a corrected file is a new version and makes the journey take entries again
      Reply fixed = JourneyDeployTest.deploy(api, journey(key, "${contact.tier == '银卡'}"));
      assertEquals(201, fixed.status(), fixed.toString());
      assertEquals(3, fixed.json().getInteger("version"));
      assertEquals("active", api.get("/api/v1/journeys/" + key).json().getString("status"));
      assertEquals(200, api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact)).status());
    } finally {
      TestSiyu.stop(restarted);
    }
  }
}
