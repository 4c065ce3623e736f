package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journey list's counts: entries of all time and of the last 7 days, instances running now, and
 * goal conversions (entries whose Goal reached step ran), the same in the list and for one journey.
 */
class JourneyListCountsTest {
  private static final Api api = TestSiyu.admin();

  /** Contacts named {@code goal} reach the goal; everyone then waits 30 days. */
  private static String journey(String key) {
    String condition = "<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\" "
        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">${contact.name == 'goal'}</bpmn:conditionExpression>";
    return JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "branch",
        "<bpmn:exclusiveGateway id=\"branch\" default=\"toWait\" />"
            + "<bpmn:sequenceFlow id=\"toGoal\" sourceRef=\"branch\" targetRef=\"goal\">" + condition + "</bpmn:sequenceFlow>"
            + "<bpmn:sequenceFlow id=\"toWait\" sourceRef=\"branch\" targetRef=\"wait\" />"
            + JourneyDeployTest.task("goal", "goalReached", "wait", "goal", "converted")
            + "<bpmn:intermediateCatchEvent id=\"wait\" name=\"30 days\"><bpmn:timerEventDefinition>"
            + "<bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
            + "<bpmn:sequenceFlow id=\"toEnd\" sourceRef=\"wait\" targetRef=\"end\" /><bpmn:endEvent id=\"end\" />");
  }

  private static JsonObject listed(String key) {
    Reply list = TestSiyu.withRole("manager").get("/api/v1/journeys");
    assertEquals(200, list.status(), list.toString());
    return list.items().stream().map(JsonObject.class::cast).filter(j -> j.getString("key").equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError(key + " is not listed"));
  }

  @Test
  void theListCountsEntriesRunningInstancesAndGoals() throws Exception {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, journey(key)).status());
    JsonObject fresh = listed(key);
    for (String field : new String[] {"entered_total", "entered_7d", "running_now", "goal_conversions"}) {
      assertEquals(0, fresh.getLong(field), field + ": " + fresh.encode());
    }

    List<String> instances = new ArrayList<>();
    String[] names = {"goal", "goal", "other", "other"};
    for (int i = 0; i < names.length; i++) {
      long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "count-" + i + "-" + key)
          .put("name", names[i])).json().getLong("id");
      Reply started = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
      assertEquals(1, started.json().getInteger("entered"), started.toString());
      instances.add(started.json().getJsonArray("process_instance_ids").getString(0));
    }
    // one entry made 10 days ago, one instance cancelled
    try (Connection c = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement st = c.prepareStatement("UPDATE journey_entries SET entered_at = now() - interval '10 days' "
            + "WHERE process_instance_id = ?")) {
      st.setString(1, instances.get(2));
      assertEquals(1, st.executeUpdate());
    }
    assertEquals(204, api.delete("/api/v1/journeys/instances/" + instances.get(3)).status());

    JsonObject j = listed(key);
    assertEquals(4, j.getLong("entered_total"), j.encode());
    assertEquals(4, j.getLong("entered"), "kept as it was: " + j.encode());
    assertEquals(3, j.getLong("entered_7d"), j.encode());
    assertEquals(3, j.getLong("running_now"), j.encode());
    assertEquals(2, j.getLong("goal_conversions"), j.encode());
    assertEquals(2, api.get("/api/v1/journeys/" + key + "/funnel").json().getLong("goal_reached"), "as the funnel counts");

    JsonObject one = api.get("/api/v1/journeys/" + key).json();
    for (String field : new String[] {"entered_total", "entered_7d", "running_now", "goal_conversions", "status", "versions"}) {
      assertEquals(j.getValue(field), one.getValue(field), field);
    }
    assertTrue(listed("welcome").containsKey("running_now"));
  }
}
