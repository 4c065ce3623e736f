package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import org.junit.jupiter.api.Test;

/** {@code GET /journeys/{key}/versions/{version}/bpmn}: each version's deployed file, for the console to open read-only. */
class JourneyVersionFileTest {
  private static final Api api = TestSiyu.admin();

  private static String file(String key, String tag) {
    return JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "tag",
        JourneyDeployTest.task("tag", "addTag", "end", "tagGroup", "客户阶段", "tag", tag) + "<bpmn:endEvent id=\"end\" />");
  }

  @Test
  void eachVersionAnswersItsOwnFile() {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, file(key, "first-" + key)).status());
    assertEquals(201, JourneyDeployTest.deploy(api, file(key, "second-" + key)).status());

    Reply one = TestSiyu.withRole("manager").get("/api/v1/journeys/" + key + "/versions/1/bpmn");
    assertEquals(200, one.status(), one.toString());
    assertTrue(one.contentType().startsWith("application/xml"), one.contentType());
    assertTrue(one.body().contains("first-" + key) && !one.body().contains("second-" + key), one.body());
    assertTrue(one.body().contains("客户阶段"), "UTF-8 kept: " + one.body());
    Reply two = api.get("/api/v1/journeys/" + key + "/versions/2/bpmn");
    assertTrue(two.body().contains("second-" + key) && !two.body().contains("first-" + key), two.body());

    // what is answered deploys again as it is: no new version
    Reply again = JourneyDeployTest.deploy(api, two.body());
    assertEquals(200, again.status(), again.toString());
    assertFalse(again.json().getBoolean("changed"));
    Reply shipped = JourneyDeployTest.deploy(api, api.get("/api/v1/journeys/welcome/versions/1/bpmn").body());
    assertEquals(200, shipped.status(), shipped.toString());
    assertFalse(shipped.json().getBoolean("changed"), "a shipped journey's deployed file is unchanged too");
  }

  @Test
  void unknownJourneysAndVersionsAre404Problems() {
    for (String path : new String[] {"/api/v1/journeys/no_such_journey/versions/1/bpmn", "/api/v1/journeys/welcome/versions/999/bpmn",
        "/api/v1/journeys/welcome/versions/0/bpmn", "/api/v1/journeys/welcome/versions/x/bpmn",
        "/api/v1/journeys/welcome/versions/99999999999/bpmn"}) {
      Reply r = api.get(path);
      assertEquals(404, r.status(), path + ": " + r);
      assertEquals("application/problem+json", r.contentType(), path);
    }
    assertEquals(200, api.get("/api/v1/journeys/welcome/versions/1/bpmn").status());
    assertEquals(403, TestSiyu.withRole("integration").get("/api/v1/journeys/welcome/versions/1/bpmn").status());
  }
}
