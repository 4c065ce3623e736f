package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.siyu.support.OwnServer;
import io.siyu.support.WebhookSink;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provider receipts over real HTTP: signed receipts move a sent touch to delivered and read, a
 * replay or an older receipt changes nothing, and calls that are not the provider's change nothing.
 */
class ReceiptsTest {
  private static final String SECRET = "whsec-" + unique();
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();

  @RegisterExtension
  static final OwnServer server = new OwnServer(sink.env(SECRET), Map.of("SIYU_OUTBOX_POLL_MS", "20"));

  private static Api.Reply post(String channel, JsonObject body, String secret, long timestamp) {
    Buffer raw = body.toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Siyu-Timestamp", Long.toString(timestamp))
        .add("X-Siyu-Signature", "sha256=" + io.siyu.web.SiyuSignature.sign(secret.getBytes(StandardCharsets.UTF_8),
            Long.toString(timestamp), raw));
    return server.api().send(HttpMethod.POST, "/webhooks/receipts/" + channel, "application/json", raw, headers);
  }

  private static Api.Reply post(JsonObject body) {
    return post("webhook", body, SECRET, System.currentTimeMillis() / 1000);
  }

  private static JsonObject receipts(String... keyStatus) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < keyStatus.length; i += 2) {
      list.add(new JsonObject().put("touch_key", keyStatus[i]).put("status", keyStatus[i + 1]));
    }
    return new JsonObject().put("receipts", list);
  }

  @Test
  void receiptsMoveATouchForwardOnceAndOnlyForward() throws Exception {
    Api api = server.api();
    String key = "rcpt-" + unique();
    long id = Touches.enqueue(server.siyu(), Touches.touch(key, Touches.contact(api), "webhook")).get(0);
    Touches.await(api, id, "sent");

    Api.Reply delivered = post(receipts(key, "delivered", "nobody-" + key, "delivered"));
    assertEquals(200, delivered.status(), delivered.toString());
    assertEquals(new JsonObject().put("received", 2).put("applied", 1L).put("unknown", 1L), delivered.json());
    JsonObject t = api.get("/api/v1/touches/" + id).json();
    assertEquals("delivered", t.getString("status"));
    assertTrue(t.getString("delivered_at") != null);

    // a provider's retry of the same receipt changes nothing
    assertEquals(0L, post(receipts(key, "delivered")).json().getLong("applied"));
    assertEquals(1L, post(receipts(key, "read")).json().getLong("applied"));
    // an older word (failed after read) does not move it back
    assertEquals(0L, post(receipts(key, "failed")).json().getLong("applied"));
    t = api.get("/api/v1/touches/" + id).json();
    assertEquals("read", t.getString("status"));
    assertEquals(List.of("queued", "sending", "sent", "delivered", "read"), Touches.statuses(t));
    assertEquals(1, api.get("/api/v1/touches?status=read&contact_id=" + t.getLong("contact_id")).json()
        .getJsonArray("items").size(), "listable by the new status");
  }

  /**
   * A touch being sent says 'sending' (its queue place is leased; the touch row itself says
   * queued until the result is recorded). A receipt that comes before that record stands: the
   * touch leaves the queue, and the record that follows changes nothing and sends nothing again.
   */
  @Test
  void aReceiptThatBeatsTheRecordOfItsSendStands() throws Exception {
    Api api = server.api();
    String key = "rcpt-early-" + unique();
    sink.scriptSlow(key, 1500);
    long contact = Touches.contact(api);
    long id = Touches.enqueue(server.siyu(), Touches.touch(key, contact, "webhook")).get(0);
    JsonObject sending = Touches.await(api, id, "sending");
    assertEquals(1, sending.getInteger("attempts"), "the attempt under way counts");
    assertEquals(List.of(id), api.get("/api/v1/touches?status=sending&contact_id=" + contact).json()
        .getJsonArray("items").stream().map(t -> ((JsonObject) t).getLong("id")).toList());

    assertEquals(1L, post(receipts(key, "delivered")).json().getLong("applied"));
    Eventually.sleep(2500); // the sink's answer (1.5 s) and its record have come and gone
    JsonObject t = api.get("/api/v1/touches/" + id).json();
    assertEquals("delivered", t.getString("status"));
    assertEquals(List.of("queued", "delivered"), Touches.statuses(t));
    assertEquals(1, sink.calls(key).size(), "sent once");
    assertEquals(0, api.get("/api/v1/touches?status=queued&contact_id=" + contact).json().getJsonArray("items").size());
  }

  @Test
  void callsThatAreNotTheProvidersChangeNothing() throws Exception {
    Api api = server.api();
    String key = "rcpt-" + unique();
    long id = Touches.enqueue(server.siyu(), Touches.touch(key, Touches.contact(api), "webhook")).get(0);
    Touches.await(api, id, "sent");
    long now = System.currentTimeMillis() / 1000;

    Api.Reply forged = post("webhook", receipts(key, "delivered"), "not-the-secret", now);
    assertEquals(401, forged.status());
    assertEquals("application/problem+json", forged.headers().get("Content-Type"));
    assertEquals(401, post("webhook", receipts(key, "delivered"), SECRET, now - 3600).status(), "stale timestamp");
    assertEquals(422, post(new JsonObject().put("receipts", new JsonArray().add(
        new JsonObject().put("touch_key", key).put("status", "opened")))).status());
    assertEquals(422, post(new JsonObject().put("receipts", new JsonArray())).status());
    assertEquals(404, post("pigeon", receipts(key, "delivered"), SECRET, now).status());
    assertEquals(404, post("log", receipts(key, "delivered"), SECRET, now).status(), "the log channel takes no receipts");
    assertEquals("sent", api.get("/api/v1/touches/" + id).json().getString("status"));
  }

  @Test
  void aSignedReceiptWithNulIsA422AndAnEmptyBodyA401() {
    String key = "rcpt-nul-" + unique();
    Api.Reply nul = post(new JsonObject().put("receipts", new JsonArray()
        .add(new JsonObject().put("touch_key", key).put("status", "failed").put("error", "bad\u0000byte"))));
    assertEquals(422, nul.status(), nul.toString());
    assertEquals("receipts[0].error", nul.errorField());

    // no body at all: refused like a forged call (it was a 500)
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Siyu-Timestamp", Long.toString(System.currentTimeMillis() / 1000)).add("X-Siyu-Signature", "sha256=00");
    Api.Reply empty = server.api().send(HttpMethod.POST, "/webhooks/receipts/webhook", null, null, headers);
    assertEquals(401, empty.status(), empty.toString());
    assertEquals("application/problem+json", empty.contentType());
  }
}
