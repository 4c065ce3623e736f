package io.siyu.channel.sms;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.TouchRequest;
import io.siyu.outbox.Touches;
import io.siyu.support.Api;
import io.siyu.support.FakeSmsGateway;
import io.siyu.support.OwnServer;
import io.siyu.support.Signatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SMS end to end: a marketing touch to a contact who agreed to SMS is rendered and sent through the
 * loopback gateway; the gateway's delivery receipt marks it delivered (once, however often it is
 * replayed); the member's "TD" reply opts them out, after which marketing SMS is suppressed.
 */
class SmsDeliveryTest {
  @RegisterExtension
  static final FakeSmsGateway gateway = new FakeSmsGateway();

  @RegisterExtension
  static final OwnServer server = new OwnServer(gateway.env(),
      Map.of("SIYU_OUTBOX_POLL_MS", "20", "SIYU_CHANNEL_FALLBACK", "none"));

  private static Api.Reply callback(String json) {
    Buffer body = Buffer.buffer(json);
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    return server.api().send(HttpMethod.POST, "/webhooks/receipts/sms", "application/json", body,
        MultiMap.caseInsensitiveMultiMap().add("X-Siyu-Timestamp", ts).add("X-Siyu-Signature", Signatures.hex(FakeSmsGateway.SECRET, ts, json)));
  }

  @Test
  void sentDeliveredAndAReplyOfTdOptsOut() throws Exception {
    String n = String.valueOf(10_000_000 + (long) (Math.random() * 89_999_999));
    Api.Reply created = server.api().post("/api/v1/contacts", new JsonObject().put("mobile", "139" + n)
        .put("name", "韩梅梅").put("consent", new JsonObject().put("sms", true)));
    assertEquals(201, created.status(), created.toString());
    long contact = created.json().getLong("id");
    String mobile = created.json().getString("mobile");

    String key = "sms-" + unique();
    long id = Touches.enqueue(server.siyu(), new TouchRequest(key, contact, "birthday", null, "send", "sms", "birthday", "{}")).get(0);
    assertEquals("sent", Touches.settle(server.api(), id).getString("status"));
    FakeSmsGateway.Request sent = gateway.requests().stream().filter(r -> r.json().getString("request_id").equals(key))
        .findFirst().orElseThrow();
    assertTrue(sent.signatureValid());
    assertEquals(mobile, sent.json().getString("mobile"));
    assertTrue(sent.json().getJsonObject("params").getString("text").contains("韩梅梅"), sent.body());

    String receipt = "{\"receipts\": [{\"request_id\": \"" + key + "\", \"status\": \"DELIVERED\", \"at\": \"" + java.time.Instant.now() + "\"}]}";
    Api.Reply first = callback(receipt);
    assertEquals(1L, first.json().getLong("applied"), first.toString());
    assertEquals(0L, callback(receipt).json().getLong("applied"), "a replayed receipt changes nothing");
    assertEquals("delivered", server.api().get("/api/v1/touches/" + id).json().getString("status"));

    Api.Reply optOut = callback("{\"replies\": [{\"mobile\": \"" + mobile + "\", \"text\": \"退订\", \"at\": \"" + java.time.Instant.now() + "\"}]}");
    assertEquals(200, optOut.status(), optOut.toString());
    assertEquals(1, optOut.json().getInteger("opted_out"));
    JsonObject after = server.api().get("/api/v1/contacts/" + contact).json();
    assertFalse(after.getJsonObject("consent").getBoolean("sms"));

    long next = Touches.enqueue(server.siyu(), new TouchRequest(key + "-2", contact, "birthday", null, "send", "sms",
        "birthday", "{}")).get(0);
    JsonObject suppressed = Touches.settle(server.api(), next);
    assertEquals("suppressed", suppressed.getString("status"));
    assertTrue(suppressed.getString("last_error").contains("sms: opted out"), suppressed.encode());

    assertEquals(401, server.api().send(HttpMethod.POST, "/webhooks/receipts/sms", "application/json",
        Buffer.buffer(receipt), MultiMap.caseInsensitiveMultiMap().add("X-Siyu-Timestamp", "1").add("X-Siyu-Signature", "00"))
        .status());
  }

  @Test
  void aCallbackWithNoBodyIsA401() {
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    Api.Reply empty = server.api().send(HttpMethod.POST, "/webhooks/receipts/sms", null, null,
        MultiMap.caseInsensitiveMultiMap().add("X-Siyu-Timestamp", ts).add("X-Siyu-Signature", "00"));
    assertEquals(401, empty.status(), empty.toString());
    assertEquals("application/problem+json", empty.contentType());
  }
}
