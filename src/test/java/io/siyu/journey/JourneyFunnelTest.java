package io.siyu.journey;

import static io.siyu.journey.WelcomeJourneyTest.entry;
import static io.siyu.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What managers read of a journey: the funnel over a range of entry times given as timestamps or
 * as plain dates (in SIYU_DEFAULT_TIMEZONE, Asia/Shanghai for the tests), and where a contact is in
 * it — the waits it is held in, not the event-based gateway in front of them.
 */
class JourneyFunnelTest {
  private static final Api api = TestSiyu.admin();

  private static String manualJourney(String key, String first, String body) {
    return JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"manual\" />"
        + "<camunda:property name=\"siyu.reentry\" value=\"always\" />", first, body);
  }

  private static final String TIMER_WAIT = "<bpmn:intermediateCatchEvent id=\"%s\"><bpmn:timerEventDefinition>"
      + "<bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>";

  private static String eventProperty(String type) {
    return "<bpmn:extensionElements><camunda:properties><camunda:property name=\"siyu.event\" value=\"" + type
        + "\" /></camunda:properties></bpmn:extensionElements>";
  }

  private static String flow(String from, String to) {
    return "<bpmn:sequenceFlow id=\"" + from + "_" + to + "\" sourceRef=\"" + from + "\" targetRef=\"" + to + "\" />";
  }

  private static long contact() {
    return api.post("/api/v1/contacts", new JsonObject().put("external_userid", "funnel-" + UUID.randomUUID()))
        .json().getLong("id");
  }

  private static String start(String key, long contact) {
    Reply r = api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertEquals(200, r.status(), r.toString());
    assertEquals(1, r.json().getInteger("entered"), r.toString());
    return r.json().getJsonArray("process_instance_ids").getString(0);
  }

  @Test
  void aContactBehindAnEventBasedGatewayWaitsInTheWaitsNotTheGateway() {
    String key = JourneyDeployTest.key();
    String xml = manualJourney(key, "paidOrNot", "<bpmn:eventBasedGateway id=\"paidOrNot\" name=\"Paid or not?\" />"
        + flow("paidOrNot", "paid") + flow("paidOrNot", "redeemed") + flow("paidOrNot", "timeout")
        + "<bpmn:intermediateCatchEvent id=\"paid\" name=\"等待购买 Paid\">" + eventProperty("purchase") + "</bpmn:intermediateCatchEvent>"
        + "<bpmn:intermediateCatchEvent id=\"redeemed\">" + eventProperty("right.redeemed") + "</bpmn:intermediateCatchEvent>"
        + TIMER_WAIT.formatted("timeout")
        + flow("paid", "end") + flow("redeemed", "end") + flow("timeout", "end") + "<bpmn:endEvent id=\"end\" />"
        // an exit on any event: its subscription is not a step the contact waits in
        + "<bpmn:subProcess id=\"exit\" triggeredByEvent=\"true\"><bpmn:startEvent id=\"unsubscribed\" isInterrupting=\"true\">"
        + eventProperty("member.unsubscribed") + "</bpmn:startEvent>" + flow("unsubscribed", "left")
        + "<bpmn:endEvent id=\"left\" /></bpmn:subProcess>");
    Reply deployed = JourneyDeployTest.deploy(api, xml);
    assertEquals(201, deployed.status(), deployed.toString());
    long contact = contact();
    start(key, contact);
    JsonObject waiting = entry(contact, key);
    assertEquals(new JsonArray().add("paid").add("redeemed").add("timeout"), waiting.getJsonArray("current_steps"));
    // the step shown is a wait with its name from the diagram, not the gateway
    assertEquals("paid", waiting.getString("current_step_id"), waiting.encode());
    assertEquals("等待购买 Paid", waiting.getString("current_step_name"), waiting.encode());

    Reply purchase = api.post("/api/v1/events", new JsonObject().put("id", "funnel-buy-" + contact).put("type", "purchase")
        .put("contact_id", contact).put("amount", 10));
    assertEquals(201, purchase.status(), purchase.toString());
    JsonObject done = await("the purchase to end the wait", () -> {
      JsonObject e = entry(contact, key);
      return e.getString("ended_at") != null ? e : null;
    });
    assertEquals(new JsonArray(), done.getJsonArray("current_steps"));
    assertTrue(done.containsKey("current_step_id") && done.getValue("current_step_id") == null, done.encode());
    assertTrue(done.containsKey("current_step_name") && done.getValue("current_step_name") == null, done.encode());
  }

  /** A receive task takes its timeout as a boundary timer (Camunda allows only catch events behind an event-based gateway). */
  @Test
  void aReceiveTaskIsTheStepItsContactWaitsIn() {
    String key = JourneyDeployTest.key();
    Reply deployed = JourneyDeployTest.deploy(api, manualJourney(key, "redeemed",
        "<bpmn:receiveTask id=\"redeemed\" name=\"Wait for the redemption\">" + eventProperty("right.redeemed") + "</bpmn:receiveTask>"
        + "<bpmn:boundaryEvent id=\"timeout\" attachedToRef=\"redeemed\"><bpmn:timerEventDefinition>"
        + "<bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + flow("redeemed", "end") + flow("timeout", "end") + "<bpmn:endEvent id=\"end\" />"));
    assertEquals(201, deployed.status(), deployed.toString());
    long contact = contact();
    start(key, contact);
    JsonObject e = entry(contact, key);
    assertEquals(new JsonArray().add("redeemed"), e.getJsonArray("current_steps"));
    assertEquals("redeemed", e.getString("current_step_id"));
    assertEquals("Wait for the redemption", e.getString("current_step_name"));
  }

  /** Inside a sub-process the step shown is the wait, not the sub-process around it (whose id sorts first). */
  @Test
  void aWaitInsideASubProcessIsTheStepShown() {
    String key = JourneyDeployTest.key();
    Reply deployed = JourneyDeployTest.deploy(api, manualJourney(key, "aaFollowUp",
        "<bpmn:subProcess id=\"aaFollowUp\" name=\"Follow-up\"><bpmn:startEvent id=\"inner\" />" + flow("inner", "pause")
            + TIMER_WAIT.formatted("pause").replace("id=\"pause\"", "id=\"pause\" name=\"30 天后\"")
            + flow("pause", "innerEnd") + "<bpmn:endEvent id=\"innerEnd\" /></bpmn:subProcess>"
            + flow("aaFollowUp", "end") + "<bpmn:endEvent id=\"end\" />"));
    assertEquals(201, deployed.status(), deployed.toString());
    long contact = contact();
    start(key, contact);
    JsonObject e = entry(contact, key);
    assertEquals(new JsonArray().add("aaFollowUp").add("pause"), e.getJsonArray("current_steps"));
    assertEquals("pause", e.getString("current_step_id"), e.encode());
    assertEquals("30 天后", e.getString("current_step_name"), e.encode());
  }

  /** Two entries an hour apart across midnight in Shanghai (one day in UTC). */
  @Test
  void theFunnelTakesPlainDatesInTheDefaultTimeZoneAndToIncludesItsWholeDay() throws Exception {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, manualJourney(key, "later", TIMER_WAIT.formatted("later")
        + flow("later", "end") + "<bpmn:endEvent id=\"end\" />")).status());
    enteredAt(start(key, contact()), "2026-12-01T23:30:00+08:00");
    enteredAt(start(key, contact()), "2026-12-02T00:30:00+08:00");

    String funnel = "/api/v1/journeys/" + key + "/funnel";
    assertEquals(1, entered(funnel + "?from=2026-12-01&to=2026-12-01"), "the 1st in Shanghai holds the first entry");
    assertEquals(1, entered(funnel + "?from=2026-12-02&to=2026-12-02"));
    assertEquals(2, entered(funnel + "?from=2026-12-01"));
    assertEquals(1, entered(funnel + "?to=2026-12-01"));
    assertEquals(0, entered(funnel + "?to=2026-11-30"));
    assertEquals(1, entered(funnel + "?from=2026-12-01T16:00:00Z"), "timestamps still work");

    JsonObject day = api.get(funnel + "?from=2026-12-01&to=2026-12-01").json();
    assertEquals(OffsetDateTime.parse("2026-12-01T00:00:00+08:00").toInstant(),
        OffsetDateTime.parse(day.getString("from")).toInstant());
    assertEquals(OffsetDateTime.parse("2026-12-02T00:00:00+08:00").toInstant(),
        OffsetDateTime.parse(day.getString("to")).toInstant(), "the answer names the end it used: the next midnight");

    for (String bad : new String[] {"from=2026-13-01", "to=2026-12-1", "from=yesterday", "from=2026-12-02&to=2026-12-01"}) {
      Reply r = api.get(funnel + "?" + bad);
      assertEquals(422, r.status(), bad + ": " + r);
    }
  }

  private static long entered(String path) {
    Reply r = api.get(path);
    assertEquals(200, r.status(), path + ": " + r);
    return r.json().getLong("entered");
  }

  private static void enteredAt(String processInstance, String at) throws Exception {
    try (Connection c = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE journey_entries SET entered_at = ?::timestamptz WHERE process_instance_id = ?")) {
      ps.setString(1, at);
      ps.setString(2, processInstance);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
