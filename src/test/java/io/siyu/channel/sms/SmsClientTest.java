package io.siyu.channel.sms;

import static io.siyu.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Delivery.Outcome;
import io.siyu.outbox.Delivery;
import io.siyu.support.Envs;
import io.siyu.support.FakeSmsGateway;
import io.siyu.support.Ports;
import io.siyu.support.TestClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SMS client against {@link FakeSmsGateway}: the signed request and what each answer means. */
class SmsClientTest {
  private static final Vertx vertx = Vertx.vertx();
  private static final SmsMessage BIRTHDAY = new SmsMessage("+8613800138000", "SMS_BIRTHDAY",
      Map.of("name", "李雷", "coupon", "50"));

  private final FakeSmsGateway gateway = new FakeSmsGateway();
  private final TestClock clock = TestClock.now();
  private final SmsClient client = client(Map.of());

  @AfterEach
  void closeGateway() {
    result(client.close());
    gateway.close();
  }

  @AfterAll
  static void closeVertx() {
    result(vertx.close());
  }

  private SmsClient client(Map<String, String> overrides) {
    Map<String, String> env = Envs.with(Map.of("SIYU_SMS_URL", gateway.url(), "SIYU_SMS_SECRET",
        FakeSmsGateway.SECRET, "SIYU_SMS_SIGN_NAME", "私域会员", "SIYU_SMS_TIMEOUT_MS", "1000"), overrides);
    return new SmsClient(vertx, SmsSettings.fromEnv(env).orElseThrow(), clock);
  }

  private static void assertOutcome(Outcome expected, Delivery d) {
    assertEquals(expected, d.outcome(), d.toString());
  }

  @Test
  void aTextIsPostedSignedWithTheKeyAsRequestId() {
    Delivery d = result(client.send(BIRTHDAY, "touch-birthday-42"));

    assertOutcome(Outcome.SENT, d);
    assertEquals("HTTP 200: {\"code\":\"OK\",\"message_id\":\"sms-1\"}", d.answer());
    FakeSmsGateway.Request request = gateway.requests().get(0);
    assertTrue(request.signatureValid(), "HMAC-SHA256 of <timestamp>.<body> with the shared secret");
    assertEquals(Long.toString(clock.instant().getEpochSecond()), request.timestamp());
    assertTrue(request.contentType().startsWith("application/json"));
    assertEquals(new JsonObject().put("request_id", "touch-birthday-42").put("mobile", "+8613800138000")
        .put("template_id", "SMS_BIRTHDAY").put("params", new JsonObject().put("coupon", "50").put("name", "李雷"))
        .put("sign_name", "私域会员"), request.json());
  }

  @Test
  void aMessageMayBringItsOwnSignName() {
    result(client.send(new SmsMessage("+8613800138000", "T1", Map.of(), "旗舰店"), "k1"));
    assertEquals("旗舰店", gateway.requests().get(0).json().getString("sign_name"));

    SmsClient unsigned = client(Map.of("SIYU_SMS_SIGN_NAME", ""));
    result(unsigned.send(new SmsMessage("+8613800138000", "T1", null), "k2"));
    assertTrue(!gateway.requests().get(1).json().containsKey("sign_name"), "left to the gateway");
    result(unsigned.close());
  }

  @Test
  void answersAreSortedIntoSentRetryAndFailed() {
    Map<Integer, Outcome> byStatus = Map.of(202, Outcome.SENT, 408, Outcome.RETRY, 429, Outcome.RETRY,
        500, Outcome.RETRY, 503, Outcome.RETRY, 400, Outcome.FAILED, 403, Outcome.FAILED, 404, Outcome.FAILED);
    for (Map.Entry<Integer, Outcome> e : byStatus.entrySet()) {
      String body = "{\"code\":\"" + (e.getKey() < 300 ? "OK" : "E" + e.getKey()) + "\"}";
      gateway.answerNext(e.getKey(), body);
      Delivery d = result(client.send(BIRTHDAY, "status-" + e.getKey()));
      assertOutcome(e.getValue(), d);
      assertEquals("HTTP " + e.getKey() + ": " + body, d.answer(), "the gateway's answer is kept");
    }
  }

  @Test
  void aTwoHundredWithoutCodeOkFails() {
    gateway.answerNext(200, "{\"code\":\"INVALID_MOBILE\",\"message\":\"空号\"}");
    Delivery refused = result(client.send(BIRTHDAY, "k1"));
    assertOutcome(Outcome.FAILED, refused);
    assertEquals("HTTP 200: {\"code\":\"INVALID_MOBILE\",\"message\":\"空号\"}", refused.answer());

    gateway.answerNext(200, "<html>welcome to nginx</html>");
    assertOutcome(Outcome.FAILED, result(client.send(BIRTHDAY, "k2")));
  }

  @Test
  void aForgedSignatureIsRefusedByTheGateway() {
    SmsClient wrongKey = client(Map.of("SIYU_SMS_SECRET", "not-the-gateway-secret"));
    Delivery d = result(wrongKey.send(BIRTHDAY, "k1"));
    assertOutcome(Outcome.FAILED, d);
    assertEquals("HTTP 401: {\"code\":\"BAD_SIGNATURE\"}", d.answer());
    result(wrongKey.close());
  }

  @Test
  void timeoutsAndRefusedConnectionsAreRetried() throws Exception {
    gateway.answerSlowly(3000);
    assertOutcome(Outcome.RETRY, result(client.send(BIRTHDAY, "slow")));

    int closedPort = Ports.free();
    SmsClient down = client(Map.of("SIYU_SMS_URL", "http://127.0.0.1:" + closedPort + "/sms"));
    Delivery d = result(down.send(BIRTHDAY, "down"));
    assertOutcome(Outcome.RETRY, d);
    result(down.close());
  }
}
