package io.siyu.event.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.siyu.support.Signatures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /webhooks/events} over real HTTP: a call signed by the brand's system (no API token) stores
 * its events through the event pipeline, exactly as the API would; anything unsigned, forged or
 * stale is a 401 that stores nothing.
 */
class EventWebhookTest {
  private static final String SECRET = "inbound-current-" + UUID.randomUUID();
  private static final String PREVIOUS = "inbound-previous-" + UUID.randomUUID();
  /** Shorter than the default, to show the window is the configured one. */
  private static final long MAX_AGE = 120;
  private static final long BODY_LIMIT = 64 * 1024;

  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of("SIYU_INBOUND_SECRET", SECRET,
      "SIYU_INBOUND_PREVIOUS_SECRET", PREVIOUS, "SIYU_INBOUND_MAX_AGE_SECONDS", Long.toString(MAX_AGE),
      "SIYU_HTTP_BODY_LIMIT", Long.toString(BODY_LIMIT)));

  private static Api brand() {
    // the brand's system holds the shared secret, not an API token
    return server.as(null);
  }

  private static String key() {
    return "hook-" + UUID.randomUUID();
  }

  private static String mobile() {
    return "136" + String.format("%08d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % 100_000_000));
  }

  private static JsonObject event(String key, String mobile) {
    return new JsonObject().put("id", key).put("type", "member.registered").put("occurred_at", "2026-11-01T08:00:00Z")
        .put("contact", new JsonObject().put("mobile", mobile)).put("properties", new JsonObject().put("store", "SH-01"));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static MultiMap signed(String secret, long timestamp, String body) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Siyu-Timestamp", Long.toString(timestamp))
        .add("X-Siyu-Signature", Signatures.expected(secret, Long.toString(timestamp), body));
  }

  private static Reply post(String path, String body, MultiMap headers) {
    return brand().send(HttpMethod.POST, path, "application/json", Buffer.buffer(body), headers);
  }

  private static Reply post(String path, JsonObject body) {
    String raw = body.encode();
    return post(path, raw, signed(SECRET, now(), raw));
  }

  private static int stored(String key) {
    return server.api().get("/api/v1/events/" + key).status();
  }

  @Test
  void aSignedEventIsStoredAndReadThroughTheApi() {
    String k = key();
    String m = mobile();
    Reply r = post("/webhooks/events", event(k, m));
    assertEquals(201, r.status(), r.toString());
    assertEquals("false", r.headers().get("Siyu-Duplicate"));
    assertEquals("/api/v1/events/" + k, r.headers().get("Location"));

    Reply read = server.api().get("/api/v1/events/" + k);
    assertEquals(200, read.status(), read.toString());
    assertEquals(r.json(), read.json(), "the answer is the stored event");
    assertEquals("member.registered", read.json().getString("type"));
    assertEquals("SH-01", read.json().getJsonObject("properties").getString("store"));
    JsonObject contact = server.api().get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0);
    assertEquals(contact.getLong("id"), read.json().getLong("contact_id"), "the pipeline resolved the contact");
    assertEquals(1, server.api().get("/api/v1/events?type=member.registered&contact_id=" + contact.getLong("id")).items()
        .size(), "one registration: journeys it starts may add events of their own");
  }

  @Test
  void thePreviousSecretIsAcceptedWhileKeysRotate() {
    String k = key();
    String raw = event(k, mobile()).encode();
    Reply r = post("/webhooks/events", raw, signed(PREVIOUS, now(), raw));
    assertEquals(201, r.status(), r.toString());
    assertEquals(200, stored(k));
  }

  @Test
  void forgedStaleOrUnsignedCallsAre401AndStoreNothing() {
    String k = key();
    String raw = event(k, mobile()).encode();
    long now = now();
    Map<String, MultiMap> calls = new java.util.LinkedHashMap<>();
    calls.put("another secret", signed("not-the-secret-" + UUID.randomUUID(), now, raw));
    calls.put("signature of another body", signed(SECRET, now, event(key(), mobile()).encode()));
    calls.put("older than the window", signed(SECRET, now - MAX_AGE - 30, raw));
    calls.put("ahead of the window", signed(SECRET, now + MAX_AGE + 30, raw));
    calls.put("no timestamp", signed(SECRET, now, raw).remove("X-Siyu-Timestamp"));
    calls.put("no signature", signed(SECRET, now, raw).remove("X-Siyu-Signature"));
    calls.put("timestamp not a number", signed(SECRET, now, raw).set("X-Siyu-Timestamp", "yesterday"));
    calls.put("signature without its scheme", MultiMap.caseInsensitiveMultiMap()
        .add("X-Siyu-Timestamp", Long.toString(now)).add("X-Siyu-Signature", Signatures.hex(SECRET, Long.toString(now), raw)));
    calls.put("timestamp changed after signing", signed(SECRET, now, raw).set("X-Siyu-Timestamp", Long.toString(now - 1)));
    calls.forEach((what, headers) -> {
      Reply r = post("/webhooks/events", raw, headers);
      assertEquals(401, r.status(), what + ": " + r);
      assertEquals("application/problem+json", r.contentType(), what);
      assertEquals("unauthorized", r.problemType(), what);
    });
    assertEquals(404, stored(k), "nothing was stored");

    // within the configured window (shorter than the default) the same event is accepted
    Reply inWindow = post("/webhooks/events", raw, signed(SECRET, now - MAX_AGE + 30, raw));
    assertEquals(201, inWindow.status(), inWindow.toString());
  }

  @Test
  void aReplayStoresNothingNewAndAnswersLikeTheApi() {
    String k = key();
    String m = mobile();
    String raw = event(k, m).encode();
    MultiMap headers = signed(SECRET, now(), raw);
    Reply first = post("/webhooks/events", raw, headers);
    assertEquals(201, first.status(), first.toString());
    Reply replay = post("/webhooks/events", raw, headers);
    assertEquals(200, replay.status(), replay.toString());
    assertEquals("true", replay.headers().get("Siyu-Duplicate"));
    assertEquals(first.json(), replay.json());

    // the same id with other content, freshly signed, is still the original
    Reply changed = post("/webhooks/events", event(k, m).put("type", "member.upgraded"));
    assertEquals(200, changed.status(), changed.toString());
    assertEquals("member.registered", changed.json().getString("type"));
    long contactId = first.json().getLong("contact_id");
    // of this type only: the journeys the registration starts may add events of their own meanwhile
    JsonArray stored = server.api().get("/api/v1/events?type=member.registered&contact_id=" + contactId).items();
    assertEquals(1, stored.size(), stored.encode());
  }

  @Test
  void aBatchStoresTheNewEventsAndReportsTheSeenOnes() {
    String m = mobile();
    String seen = key();
    assertEquals(201, post("/webhooks/events", event(seen, m)).status());
    JsonArray events = new JsonArray().add(event(seen, m)).add(event(key(), m).put("type", "sign_in"))
        .add(event(key(), mobile()).put("type", "coupon.redeemed"));
    Reply r = post("/webhooks/events/batch", new JsonObject().put("events", events));
    assertEquals(200, r.status(), r.toString());
    assertEquals(2L, r.json().getLong("created"));
    assertEquals(1L, r.json().getLong("duplicates"));
    JsonArray results = r.json().getJsonArray("results");
    assertEquals("duplicate", results.getJsonObject(0).getString("status"));
    assertEquals("created", results.getJsonObject(1).getString("status"));
    for (int i = 0; i < events.size(); i++) {
      assertEquals(200, stored(events.getJsonObject(i).getString("id")));
    }
  }

  @Test
  void anInvalidEventIsThe422TheApiGivesAndStoresNothing() {
    String k = key();
    JsonObject bad = event(k, mobile()).put("type", "Not A Type");
    Reply hook = post("/webhooks/events", bad);
    Reply api = server.api().post("/api/v1/events", bad);
    assertEquals(422, hook.status(), hook.toString());
    assertEquals("validation", hook.problemType());
    assertEquals("type", hook.errorField());
    assertEquals(api.json(), hook.json(), "the same problem as the API's");

    String good = key();
    JsonObject batch = new JsonObject().put("events", new JsonArray().add(event(good, mobile())).add(bad));
    Reply b = post("/webhooks/events/batch", batch);
    assertEquals(422, b.status(), b.toString());
    assertEquals("events[1].type", b.errorField());
    assertEquals(422, post("/webhooks/events/batch", new JsonObject().put("events", new JsonArray())).status());
    assertEquals(404, stored(k));
    assertEquals(404, stored(good), "a batch is all or nothing");
  }

  @Test
  void bodiesAreCheckedAsTheApiChecksThem() {
    String raw = "{\"id\": ";
    Reply notJson = post("/webhooks/events", raw, signed(SECRET, now(), raw));
    assertEquals(400, notJson.status(), notJson.toString());

    String k = key();
    String text = event(k, mobile()).encode();
    Reply wrongType = brand().send(HttpMethod.POST, "/webhooks/events", "text/plain", Buffer.buffer(text),
        signed(SECRET, now(), text));
    assertEquals(415, wrongType.status(), wrongType.toString());

    // larger than SIYU_HTTP_BODY_LIMIT, like the API's bodies
    String big = event(k, mobile()).put("properties", new JsonObject().put("pad", "x".repeat((int) BODY_LIMIT))).encode();
    Reply tooLarge = post("/webhooks/events", big, signed(SECRET, now(), big));
    assertEquals(413, tooLarge.status(), tooLarge.toString());
    assertEquals("application/problem+json", tooLarge.contentType());
    assertEquals(404, stored(k));
  }

  @Test
  void theWebhookNeedsNoApiTokenButTheApiStillDoes() {
    Reply api = brand().post("/api/v1/events", event(key(), mobile()));
    assertEquals(401, api.status(), "the secret is not an API token");
    assertTrue(post("/webhooks/events", event(key(), mobile())).status() == 201);
  }

  @Test
  void anIdWithAControlCharacterIsA422AtOnceAndAnIdThatNeedsEscapingGetsAnAsciiLocation() {
    String k = key();
    String bad = event("line\nbreak-" + k, mobile()).encode();
    // the raw id once went into Location, which the HTTP layer refused: the answer never came
    Reply refused = brand().withTimeout(15).send(HttpMethod.POST, "/webhooks/events", "application/json",
        Buffer.buffer(bad), signed(SECRET, now(), bad));
    assertEquals(422, refused.status(), refused.toString());
    assertEquals("id", refused.errorField());
    assertEquals(404, stored("line%0Abreak-" + k));

    String odd = event("门店 SH/01?" + k, mobile()).encode();
    Reply created = brand().withTimeout(15).send(HttpMethod.POST, "/webhooks/events", "application/json",
        Buffer.buffer(odd), signed(SECRET, now(), odd));
    assertEquals(201, created.status(), created.toString());
    assertEquals("/api/v1/events/%E9%97%A8%E5%BA%97%20SH%2F01%3F" + k, created.headers().get("Location"));
    assertEquals(200, server.api().get(created.headers().get("Location")).status());
  }
}
