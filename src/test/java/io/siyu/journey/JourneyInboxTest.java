package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inbox hands many events to journeys per transaction, in several workers: a contact's second
 * event still finds the instance its first one started, and one event whose step fails holds back
 * none of the others in its transaction.
 */
class JourneyInboxTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void transactionsTakeEachContactOnceAndKeepTheOrder() {
    List<long[]> due = new ArrayList<>();
    for (long id = 1; id <= 45; id++) {
      due.add(new long[] {id, id == 8 ? 3 : id}); // event 8 is contact 3's second
    }
    List<List<Long>> txs = JourneyInbox.transactions(due);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), txs.get(0), "contact 3's second event starts a new transaction");
    assertEquals(8L, txs.get(1).get(0));
    assertEquals(JourneyInbox.PER_TRANSACTION, txs.get(1).size());
    List<Long> all = txs.stream().flatMap(List::stream).toList();
    assertEquals(45, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i), "in event order");
    }
  }

  @Test
  void aBatchOfEventsEntersWaitsAndIsolatesTheOneThatFails() throws Exception {
    String key = JourneyDeployTest.key();
    String attribute = "a_" + key;
    String joined = key + ".joined";
    String bought = key + ".bought";
    assertEquals(201, api.post("/api/v1/attributes", new JsonObject().put("key", attribute).put("type", "integer")).status());
    String xml = JourneyDeployTest.journey(key, "<camunda:property name=\"siyu.trigger\" value=\"event\" />"
            + "<camunda:property name=\"siyu.event\" value=\"" + joined + "\" />", "which",
        // the contact named "bad" takes a step that fails: the attribute takes integers only
        "<bpmn:exclusiveGateway id=\"which\" default=\"good\" />"
            + "<bpmn:sequenceFlow id=\"good\" sourceRef=\"which\" targetRef=\"mark\" />"
            + "<bpmn:sequenceFlow id=\"bad\" sourceRef=\"which\" targetRef=\"markBad\"><bpmn:conditionExpression>"
            + "${contact.name == 'bad'}</bpmn:conditionExpression></bpmn:sequenceFlow>"
            + JourneyDeployTest.task("mark", "setAttribute", "wait", "attribute", attribute, "value", "7")
            + JourneyDeployTest.task("markBad", "setAttribute", "wait", "attribute", attribute, "value", "x")
            + "<bpmn:intermediateCatchEvent id=\"wait\"><bpmn:extensionElements><camunda:properties>"
            + "<camunda:property name=\"siyu.event\" value=\"" + bought + "\" /></camunda:properties>"
            + "</bpmn:extensionElements></bpmn:intermediateCatchEvent>"
            + "<bpmn:sequenceFlow id=\"w1\" sourceRef=\"wait\" targetRef=\"goal\" />"
            + JourneyDeployTest.task("goal", "goalReached", "end", "goal", "bought")
            + "<bpmn:endEvent id=\"end\" />");
    Reply deployed = JourneyDeployTest.deploy(api, xml);
    assertEquals(201, deployed.status(), deployed.toString());

    int contacts = 30;
    int bad = 7;
    JsonArray events = new JsonArray();
    for (int i = 0; i < contacts; i++) {
      JsonObject contact = new JsonObject().put("external_userid", key + "-" + i).put("name", i == bad ? "bad" : "good");
      events.add(new JsonObject().put("id", key + "-j" + i).put("type", joined).put("contact", contact));
      events.add(new JsonObject().put("id", key + "-b" + i).put("type", bought).put("contact", contact));
    }
    Reply posted = api.post("/api/v1/events/batch", new JsonObject().put("events", events));
    assertTrue(posted.status() < 300, posted.toString());

    Eventually.await("every good contact's goal", () -> count(
        "SELECT count(*) FROM journey_entries WHERE journey_key = ? AND goal = 'bought'", key) == contacts - 1
        ? new JsonObject() : null);
    assertEquals(contacts - 1, count("SELECT count(*) FROM journey_entries WHERE journey_key = ?", key),
        "the failing contact has no entry");
    assertEquals(contacts - 1, count("SELECT count(*) FROM contacts WHERE external_userid LIKE ? || '-%' "
        + "AND attributes ->> '" + attribute + "' = '7'", key));
    // the failing event waits for its retry with its error; everything else has left the inbox
    Eventually.await("the failure recorded", () -> count("SELECT count(*) FROM journey_inbox i JOIN events e "
        + "ON e.id = i.event_id WHERE e.event_key = ? AND i.attempts >= 1 AND i.last_error LIKE '%" + attribute + "%'",
        key + "-j" + bad) == 1 ? new JsonObject() : null);
    assertEquals(1, count("SELECT count(*) FROM journey_inbox i JOIN events e ON e.id = i.event_id "
        + "WHERE e.event_key LIKE ? || '-%'", key));
  }

  private static long count(String sql, String param) {
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
