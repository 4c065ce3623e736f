package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Moving running instances to a new version when the change allows it, and refusing when it does not. */
class JourneyMigrationTest {
  private static final Api api = TestSiyu.admin();

  /** A manual journey: tag, then wait 30 days at {@code waitId}, then {@code after} (a step or the end). */
  private static String version(String key, String waitId, String afterWait) {
    return JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"manual\" />", "tag",
        JourneyDeployTest.task("tag", "addTag", waitId, "tagGroup", "客户阶段", "tag", key)
            + "<bpmn:intermediateCatchEvent id=\"" + waitId + "\"><bpmn:timerEventDefinition><bpmn:timeDuration>P30D"
            + "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
            + "<bpmn:sequenceFlow id=\"afterWait\" sourceRef=\"" + waitId + "\" targetRef=\"" + afterWait + "\" />"
            + (afterWait.equals("end") ? "" : JourneyDeployTest.task(afterWait, "sendMessage", "end", "template", JourneyDeployTest.template(api, "later")))
            + "<bpmn:endEvent id=\"end\" />");
  }

  private static JsonObject entry(long contact, String key) {
    return api.get("/api/v1/contacts/" + contact + "/journeys").items().stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("journey_key").equals(key)).findFirst().orElseThrow();
  }

  @Test
  void runningInstancesMoveWhenEveryStepTheyAreInStillExists() {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, version(key, "wait", "end")).status());
    long a = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "mig-a-" + key)).json().getLong("id");
    long b = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "mig-b-" + key)).json().getLong("id");
    for (long c : new long[] {a, b}) {
      assertEquals(1, api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", c)).json().getInteger("entered"));
    }

    // version 2 adds a step after the wait: the waiting instances can move
    assertEquals(201, JourneyDeployTest.deploy(api, version(key, "wait", "sendLater")).status());
    Reply moved = api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject());
    assertEquals(200, moved.status(), moved.toString());
    assertEquals(2, moved.json().getInteger("migrated"));
    assertEquals(2, moved.json().getInteger("to_version"));
    assertEquals(new JsonArray().add(new JsonObject().put("from_version", 1).put("instances", 2)), moved.json().getJsonArray("by_version"));
    assertEquals(2, entry(a, key).getInteger("version"));
    assertEquals(new JsonArray().add("wait"), entry(a, key).getJsonArray("current_steps"));
    JsonObject funnel = api.get("/api/v1/journeys/" + key + "/funnel?version=2").json();
    assertEquals(2, funnel.getLong("entered"), funnel.encode());

    // version 3 replaces the wait with another step: the instances waiting there cannot move
    assertEquals(201, JourneyDeployTest.deploy(api, version(key, "waitLonger", "end")).status());
    Reply refused = api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("from_version", 2));
    assertEquals(422, refused.status(), refused.toString());
    assertEquals("migration-not-possible", refused.problemType());
    assertTrue(refused.json().getJsonArray("problems").encode().contains("wait"), refused.toString());
    assertEquals(2, entry(a, key).getInteger("version"), "nothing moved");
    assertEquals(2, entry(b, key).getInteger("version"));
  }

  @Test
  void badMigrationsAreProblems() {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, version(key, "wait", "end")).status());
    assertEquals(404, api.post("/api/v1/journeys/no_such_journey/migrate", new JsonObject()).status());
    assertEquals(404, api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("from_version", 9)).status());
    assertEquals(404, api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("to_version", 9)).status());
    assertEquals(422, api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("from_version", 1)).status());
    assertEquals(422, api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("to_version", "latest")).status());
    assertEquals(422, api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject().put("force", true)).status());
    Reply nothing = api.post("/api/v1/journeys/" + key + "/migrate", new JsonObject());
    assertEquals(200, nothing.status(), nothing.toString());
    assertEquals(0, nothing.json().getInteger("migrated"));
    assertEquals(403, TestSiyu.withRole("manager").post("/api/v1/journeys/" + key + "/migrate", new JsonObject()).status());
  }
}
