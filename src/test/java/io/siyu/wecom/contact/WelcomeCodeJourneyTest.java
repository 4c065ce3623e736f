package io.siyu.wecom.contact;

import static io.siyu.support.Eventually.await;
import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The welcome code end to end, with the shipped welcome journey: WeCom's add callback → the contact
 * (named from its WeCom profile) → {@code wecom.contact_added} → the welcome journey → a touch whose
 * payload carries the add's welcome code → {@code send_welcome_msg} with that code, within its
 * seconds of validity. Later sends of the entry, and a code already too old when the step runs, are
 * ordinary messages.
 */
class WelcomeCodeJourneyTest {
  private static final String SEND_WELCOME_MSG = "/cgi-bin/externalcontact/send_welcome_msg";
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env(), Map.of("SIYU_OUTBOX_POLL_MS", "20"));

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  private static long contactOf(String externalUserId) {
    return server.api().get("/api/v1/contacts?external_userid=" + externalUserId).items().getJsonObject(0).getLong("id");
  }

  private static JsonObject touch(long contact, String template, String status) {
    return server.api().get("/api/v1/touches?contact_id=" + contact).items().stream().map(o -> (JsonObject) o)
        .filter(t -> t.getString("template_key").equals(template) && t.getString("status").equals(status))
        .findFirst().orElse(null);
  }

  private static List<FakeWecom.Request> welcomesWith(String code) {
    return wecom.requests(SEND_WELCOME_MSG).stream().filter(r -> code.equals(r.body().getString("welcome_code"))).toList();
  }

  @Test
  void theAddsWelcomeCodeReachesSendWelcomeMsgThroughTheWelcomeJourney() {
    String customer = "wm" + unique();
    wecom.directory().customer(customer, "韩梅梅", 2, null, "zhangsan", null);
    String code = wecom.messages().issueWelcomeCode();
    ContactCallbacks.handle(server.siyu(), ContactCallbacks.add("zhangsan", customer, null, code));
    long contact = contactOf(customer);

    JsonObject sent = await("the welcome touch to be sent", () -> touch(contact, "welcome", "sent"));
    assertEquals("wecom", sent.getString("channel"), "the welcome code is good on WeCom only");
    assertEquals(code, sent.getJsonObject("payload").getString("welcome_code"));
    List<FakeWecom.Request> calls = welcomesWith(code);
    assertEquals(1, calls.size());
    String text = calls.get(0).body().getJsonObject("text").getString("content");
    assertTrue(text.startsWith("韩梅梅，欢迎加入会员"), "the profile was read before the journey began: " + text);
    assertTrue(wecom.requests("/cgi-bin/externalcontact/add_msg_template").stream()
        .noneMatch(r -> r.body().encode().contains(customer)), "the welcome went out as the welcome message");

    // days later the entry's next message is an ordinary one: the code was spent
    LocalDate today = LocalDate.now(SHANGHAI);
    ClockUtil.setCurrentTime(Date.from(today.plusDays(3).atTime(LocalTime.of(9, 30)).atZone(SHANGHAI).toInstant()));
    JsonObject dayOne = await("the day-1 touch", () -> touch(contact, "welcome_day1", "sent"));
    assertFalse(dayOne.getJsonObject("payload").containsKey("welcome_code"), dayOne.encode());
    assertEquals("log", dayOne.getString("channel"));
    assertEquals(1, welcomesWith(code).size());
  }

  @Test
  void aCodeTooOldWhenTheStepRunsIsNotSpentOnAWelcomeMessage() {
    String customer = "wm" + unique();
    String code = wecom.messages().issueWelcomeCode();
    WecomCallback fresh = ContactCallbacks.add("lisi", customer, null, code);
    // received a minute ago, as when the callback waited in the inbox behind a failing WeCom
    WecomCallback late = new WecomCallback(fresh.id(), fresh.event(), fresh.changeType(), fresh.fields(),
        Instant.now().minusSeconds(60));
    ContactCallbacks.handle(server.siyu(), late);
    long contact = contactOf(customer);

    JsonObject sent = await("the welcome touch to be sent", () -> touch(contact, "welcome", "sent"));
    assertNull(sent.getJsonObject("payload").getString("welcome_code"), sent.encode());
    assertEquals("log", sent.getString("channel"));
    assertTrue(welcomesWith(code).isEmpty());
  }

  @Test
  void onlyTheFirstSendOfAnEntryTakesTheCode() {
    String key = "twostep" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String send = "<bpmn:serviceTask id=\"%s\" camunda:delegateExpression=\"${sendMessage}\"><bpmn:extensionElements>"
        + "<camunda:inputOutput><camunda:inputParameter name=\"template\">%s</camunda:inputParameter>"
        + "<camunda:inputParameter name=\"kind\">transactional</camunda:inputParameter></camunda:inputOutput>"
        + "</bpmn:extensionElements></bpmn:serviceTask>";
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://siyu.io/test">
          <bpmn:process id="%s" name="Two sends" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:extensionElements><camunda:properties>
              <camunda:property name="siyu.trigger" value="event" />
              <camunda:property name="siyu.event" value="wecom.contact_added" />
              <camunda:property name="siyu.match" value="{&quot;staff&quot;:&quot;%s&quot;}" />
            </camunda:properties></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="first" />
            %s
            <bpmn:sequenceFlow id="s1" sourceRef="first" targetRef="second" />
            %s
            <bpmn:sequenceFlow id="s2" sourceRef="second" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key, key, send.formatted("first", "welcome"), send.formatted("second", "welcome_day1"));
    assertEquals(201, server.api().send(io.vertx.core.http.HttpMethod.POST, "/api/v1/journeys", "application/xml",
        io.vertx.core.buffer.Buffer.buffer(xml)).status());
    // the shipped welcome journey would want the same code: it takes no one while this runs
    assertEquals(200, server.api().post("/api/v1/journeys/welcome/pause", new JsonObject()).status());
    try {
      String customer = "wm" + unique();
      String code = wecom.messages().issueWelcomeCode();
      ContactCallbacks.handle(server.siyu(), ContactCallbacks.add(key, customer, null, code));
      long contact = contactOf(customer);

      JsonObject first = await("the first touch", () -> touch(contact, "welcome", "sent"));
      JsonObject second = await("the second touch", () -> touch(contact, "welcome_day1", "sent"));
      assertEquals(code, first.getJsonObject("payload").getString("welcome_code"));
      assertEquals("wecom", first.getString("channel"));
      assertFalse(second.getJsonObject("payload").containsKey("welcome_code"), second.encode());
      assertEquals("log", second.getString("channel"));
      assertEquals(1, welcomesWith(code).size());
    } finally {
      server.api().post("/api/v1/journeys/welcome/activate", new JsonObject());
    }
  }
}
