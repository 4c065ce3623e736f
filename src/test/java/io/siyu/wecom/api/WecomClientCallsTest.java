package io.siyu.wecom.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Await;
import io.siyu.support.FakeWecom;
import io.siyu.support.TestClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's read and management calls against {@link FakeWecom}: their requests, the token
 * refresh they share with sends, retries of a busy WeCom, failures that say what WeCom meant, and
 * the pace they keep.
 */
class WecomClientCallsTest {
  private static final Vertx vertx = Vertx.vertx();

  private final FakeWecom wecom = new FakeWecom();
  private final WecomClient client = new WecomClient(vertx, WecomSettings.fromEnv(wecom.env()).orElseThrow(),
      TestClock.now());

  @AfterEach
  void closeFake() {
    Await.result(client.close());
    wecom.close();
  }

  @AfterAll
  static void closeVertx() {
    Await.result(vertx.close());
  }

  @Test
  void externalContactIsAGetWithTheCustomerContactToken() {
    wecom.directory().customer("wmAAA", "李雷", 1, null, "zhangsan", null);
    JsonObject answer = Await.result(client.externalContact("wmAAA"));
    assertEquals("李雷", answer.getJsonObject("external_contact").getString("name"));
    FakeWecom.Request call = wecom.requests(WecomClient.EXTERNALCONTACT_GET).get(0);
    assertEquals("GET", call.method());
    assertEquals("wmAAA", call.query().get("external_userid"));

    wecom.expireTokens(); // a refused token is dropped and the call made once more with a fresh one
    Await.result(client.externalContact("wmAAA"));
    assertEquals(3, wecom.requests(WecomClient.EXTERNALCONTACT_GET).size());
    assertEquals(2, wecom.tokenFetches());
  }

  @Test
  void contactWaysAreMadeAndDeleted() {
    JsonObject request = new JsonObject().put("type", 1).put("scene", 2).put("state", "s-1")
        .put("user", new JsonArray().add("zhangsan"));
    assertEquals("cfg-1", Await.result(client.addContactWay(request)).getString("config_id"));
    assertEquals(request, wecom.requests(WecomClient.ADD_CONTACT_WAY).get(0).body());
    Await.result(client.deleteContactWay("cfg-1"));
    assertEquals(new JsonObject().put("config_id", "cfg-1"), wecom.requests(WecomClient.DEL_CONTACT_WAY).get(0).body());
  }

  @Test
  void aBusyWecomIsAskedAgainAndARefusalIsNot() {
    // a contact way the fake never made: this test is about the retries, not the id
    wecom.serve(WecomClient.DEL_CONTACT_WAY, (query, body) -> FakeWecom.ok());
    wecom.answerNext(2, 45033, "api concurrent out of limit");
    Await.result(client.deleteContactWay("cfg-1"));
    assertEquals(3, wecom.requests(WecomClient.DEL_CONTACT_WAY).size());

    wecom.answerNext(WecomClient.CALL_ATTEMPTS, -1, "system busy");
    Throwable busy = Await.failure(client.deleteContactWay("cfg-2"));
    WecomClient.CallFailed stillBusy = (WecomClient.CallFailed) busy;
    assertEquals(-1, stillBusy.errcode());
    assertTrue(stillBusy.retryable());
    assertEquals(3 + WecomClient.CALL_ATTEMPTS, wecom.requests(WecomClient.DEL_CONTACT_WAY).size());

    wecom.answerNext(1, 41044, "invalid config_id");
    WecomClient.CallFailed refused = (WecomClient.CallFailed) Await.failure(client.deleteContactWay("cfg-3"));
    assertEquals(41044, refused.errcode());
    assertEquals(false, refused.retryable());
    assertTrue(refused.getMessage().startsWith("del_contact_way errcode 41044: invalid config_id"), refused.getMessage());
    assertEquals(4 + WecomClient.CALL_ATTEMPTS, wecom.requests(WecomClient.DEL_CONTACT_WAY).size());
  }

  @Test
  void withoutTheCustomerContactSecretNothingIsCalled() {
    Map<String, String> agentOnly = new java.util.HashMap<>(wecom.env());
    agentOnly.remove("SIYU_WECOM_SECRET");
    WecomClient agent = new WecomClient(vertx, WecomSettings.fromEnv(agentOnly).orElseThrow(), TestClock.now());
    assertEquals(false, agent.customerContactConfigured());
    Throwable error = Await.failure(agent.externalContact("wmAAA"));
    assertTrue(error.getMessage().contains("SIYU_WECOM_SECRET"), error.getMessage());
    assertTrue(wecom.requests(WecomClient.EXTERNALCONTACT_GET).isEmpty());
    Await.result(agent.close());
  }

  @Test
  void thePacerStartsAtMostTheRateInEachSecond() {
    TestClock clock = new TestClock(Instant.parse("2026-11-01T00:00:00.250Z"));
    WecomClient.Pacer pacer = new WecomClient.Pacer(2, clock);
    assertEquals(0, pacer.waitMillis());
    assertEquals(0, pacer.waitMillis());
    assertEquals(750, pacer.waitMillis(), "the third call of the second waits for the next one");
    clock.advance(Duration.ofMillis(750));
    assertEquals(0, pacer.waitMillis());
  }
}
