package io.siyu.channel.webhook;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Config;
import io.siyu.outbox.ChannelContext;
import io.siyu.outbox.Delivery.Outcome;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Recipient;
import io.siyu.outbox.Touch;
import io.siyu.support.Await;
import io.siyu.support.Ports;
import io.siyu.support.Signatures;
import io.siyu.support.WebhookSink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook channel on its own against a loopback receiver: what each answer means, and the signature. */
class WebhookChannelTest {
  private static final String SECRET = "whsec-test-" + unique();
  private static final Vertx vertx = Vertx.vertx();
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  private static WebhookChannel channel(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    WebhookChannel channel = new WebhookChannel();
    Config config = Config.fromMap(all);
    channel.start(new ChannelContext(vertx, config.env(), config.outbox()));
    return channel;
  }

  private static WebhookChannel channel() {
    return channel(Map.of("SIYU_WEBHOOK_URL", sink.url(), "SIYU_WEBHOOK_SECRET", SECRET, "SIYU_WEBHOOK_TIMEOUT_MS", "1000"));
  }

  private static Touch touch(String key) {
    return new Touch(7, key, 42, "welcome", "pi-9", "send_welcome", "webhook", "welcome_msg",
        new JsonObject().put("name", "韩梅梅").put("coupon", 50), 1, "marketing", new Recipient(null, null, null, null, null, null), null, 0);
  }

  private static Delivery send(WebhookChannel channel, Touch touch) throws Exception {
    return Await.result(channel.send(touch));
  }

  @Test
  void aTouchIsPostedSignedAndKeyed() throws Exception {
    String key = "signed-" + unique();
    long before = System.currentTimeMillis() / 1000;
    Delivery d = send(channel(), touch(key));
    assertEquals(Outcome.SENT, d.outcome(), d.toString());
    assertEquals("HTTP 200: {\"ok\":true}", d.answer());

    WebhookSink.Call call = sink.calls(key).get(0);
    assertEquals(key, call.idempotencyKey());
    assertTrue(call.contentType().startsWith("application/json"));
    long ts = Long.parseLong(call.timestamp());
    assertTrue(ts >= before && ts <= System.currentTimeMillis() / 1000, "epoch seconds of the send");
    assertEquals(Signatures.expected(SECRET, call.timestamp(), call.body()), call.signature());
    assertTrue(!call.signature().equals(Signatures.expected("another-secret", call.timestamp(), call.body())));
    assertEquals(new JsonObject().put("touch_key", key).put("contact_id", 42).put("channel", "webhook")
        .put("template_key", "welcome_msg").put("payload", new JsonObject().put("name", "韩梅梅").put("coupon", 50))
        .put("journey_key", "welcome").put("activity_id", "send_welcome"), call.json());
  }

  @Test
  void answersAreSortedIntoSentRetryAndFailed() throws Exception {
    WebhookChannel channel = channel();
    Map<Integer, Outcome> expected = Map.of(200, Outcome.SENT, 201, Outcome.SENT, 204, Outcome.SENT,
        408, Outcome.RETRY, 429, Outcome.RETRY, 500, Outcome.RETRY, 503, Outcome.RETRY,
        400, Outcome.FAILED, 404, Outcome.FAILED, 302, Outcome.FAILED);
    for (Map.Entry<Integer, Outcome> e : expected.entrySet()) {
      String key = "status-" + e.getKey() + "-" + unique();
      sink.script(key, e.getKey());
      Delivery d = send(channel, touch(key));
      assertEquals(e.getValue(), d.outcome(), e.getKey() + " -> " + d);
      assertTrue(d.answer().startsWith("HTTP " + e.getKey()), d.answer());
    }
    String bad = "answer-" + unique();
    sink.script(bad, 400);
    assertEquals("HTTP 400: {\"error\":\"sink says 400\"}", send(channel, touch(bad)).answer(), "the provider's answer");
  }

  @Test
  void timeoutsAndRefusedConnectionsAreWorthRetrying() throws Exception {
    String slow = "slow-" + unique();
    sink.scriptSlow(slow, 5000);
    Delivery timedOut = send(channel(), touch(slow));
    assertEquals(Outcome.RETRY, timedOut.outcome(), timedOut.toString());

    int closedPort = Ports.free();
    Delivery refused = send(channel(Map.of("SIYU_WEBHOOK_URL", "http://127.0.0.1:" + closedPort + "/x")),
        touch("refused-" + unique()));
    assertEquals(Outcome.RETRY, refused.outcome(), refused.toString());
  }

  @Test
  void withoutAUrlTheChannelIsNotConfigured() throws Exception {
    Delivery d = send(channel(Map.of()), touch("unset-" + unique()));
    assertEquals(Outcome.FAILED, d.outcome());
    assertEquals("webhook channel not configured", d.answer());
  }

  @Test
  void withoutASecretCallsGoOutUnsigned() throws Exception {
    String key = "unsigned-" + unique();
    assertEquals(Outcome.SENT, send(channel(Map.of("SIYU_WEBHOOK_URL", sink.url())), touch(key)).outcome());
    assertNull(sink.calls(key).get(0).signature());
  }
}
