package io.siyu.channel.webhook;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Touches;
import io.siyu.support.OwnServer;
import io.siyu.support.Signatures;
import io.siyu.support.WebhookSink;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end through a server of its own whose webhook points at a loopback receiver, with short
 * backoffs: retries, giving up, permanent failures, requeue and the lease.
 */
class WebhookDeliveryTest {
  private static final String SECRET = "whsec-" + unique();
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();

  @RegisterExtension
  static final OwnServer server = new OwnServer(sink.env(SECRET), Map.of(
      "SIYU_OUTBOX_POLL_MS", "20",
      "SIYU_OUTBOX_RETRY_BASE_MS", "20",
      "SIYU_OUTBOX_RETRY_MAX_MS", "30",
      "SIYU_OUTBOX_MAX_ATTEMPTS", "3",
      // no send in these tests comes near ten seconds
      "SIYU_OUTBOX_LEASE_MS", "10000"));

  private static long enqueue(String key) throws Exception {
    return Touches.enqueue(server.siyu(), Touches.touch(key, Touches.contact(server.api()), "webhook")).get(0);
  }

  @Test
  void aTouchArrivesSignedOnce() throws Exception {
    String key = "e2e-" + unique();
    JsonObject t = Touches.await(server.api(), enqueue(key), "sent");
    assertEquals(1, t.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "sent"), Touches.statuses(t));
    assertEquals(1, sink.calls(key).size());
    WebhookSink.Call call = sink.calls(key).get(0);
    assertEquals(Signatures.expected(SECRET, call.timestamp(), call.body()), call.signature());
    assertEquals(key, call.json().getString("touch_key"));
    assertEquals(t.getLong("contact_id"), call.json().getLong("contact_id"));
    assertEquals(key, call.idempotencyKey());
  }

  @Test
  void aServerErrorIsRetriedWithBackoffUntilSent() throws Exception {
    String key = "retry-" + unique();
    sink.script(key, 500, 200);
    JsonObject t = Touches.await(server.api(), enqueue(key), "sent");
    assertEquals(2, t.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "queued", "sending", "sent"), Touches.statuses(t));
    assertEquals(List.of("enqueued", "attempt 1", "HTTP 500: {\"error\":\"sink says 500\"} (retry in 20 ms)",
        "attempt 2", "HTTP 200: {\"ok\":true}"), Touches.details(t));
    assertEquals("HTTP 500: {\"error\":\"sink says 500\"}", t.getString("last_error"), "the failure is kept");
    assertEquals(2, sink.calls(key).size());
    assertEquals(sink.calls(key).get(0).body(), sink.calls(key).get(1).body(), "the same touch again");
  }

  /**
   * Each send is timed by channel and outcome in /metrics (the tests of this class run one after
   * another, so the counts move by this test's sends alone); Vert.x's own HTTP client metrics are off.
   */
  @Test
  void eachSendIsCountedAndTimedByChannelAndOutcome() throws Exception {
    Map<String, Double> before = sendCounts();
    String retried = "timed-" + unique();
    String refused = "timed-" + unique();
    sink.script(retried, 503, 200);
    sink.script(refused, 400);
    Touches.await(server.api(), enqueue(retried), "sent");
    Touches.await(server.api(), enqueue(refused), "dead");
    Map<String, Double> after = sendCounts();
    assertEquals(1.0, after.get("sent") - before.getOrDefault("sent", 0.0), "sent: " + after);
    assertEquals(1.0, after.get("retry") - before.getOrDefault("retry", 0.0), "retry: " + after);
    assertEquals(1.0, after.get("failed") - before.getOrDefault("failed", 0.0), "failed: " + after);
    String metrics = server.api().get("/metrics").body();
    assertTrue(metrics.contains("siyu_touch_sends_seconds_sum{channel=\"webhook\",outcome=\"sent\"}"), metrics);
    assertTrue(!metrics.contains("vertx_http_client_"), "Vert.x's HTTP client metrics are off");
  }

  /** The webhook channel's send counts by outcome, from the Prometheus text. */
  private static Map<String, Double> sendCounts() {
    Map<String, Double> counts = new java.util.HashMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^siyu_touch_sends_seconds_count\\{channel=\"webhook\",outcome=\"(\\w+)\"} (\\S+)$")
        .matcher(server.api().get("/metrics").body());
    while (m.find()) {
      counts.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return counts;
  }

  @Test
  void aClientErrorIsDeadAtOnceWithTheProvidersAnswer() throws Exception {
    String key = "reject-" + unique();
    sink.script(key, 400);
    JsonObject t = Touches.await(server.api(), enqueue(key), "dead");
    assertEquals(1, t.getInteger("attempts"));
    assertEquals("HTTP 400: {\"error\":\"sink says 400\"}", t.getString("last_error"));
    assertEquals(List.of("queued", "sending", "dead"), Touches.statuses(t));
    assertEquals(1, sink.calls(key).size());
  }

  @Test
  void aTouchThatKeepsFailingIsDeadAfterTheMaximumAttemptsAndCanBeRequeued() throws Exception {
    String key = "always-" + unique();
    sink.script(key, 500, 503, 500);
    long id = enqueue(key);
    JsonObject t = Touches.await(server.api(), id, "dead");
    assertEquals(3, t.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "queued", "sending", "queued", "sending", "dead"), Touches.statuses(t));
    assertEquals(List.of("enqueued", "attempt 1", "HTTP 500: {\"error\":\"sink says 500\"} (retry in 20 ms)",
        "attempt 2", "HTTP 503: {\"error\":\"sink says 503\"} (retry in 30 ms)",
        "attempt 3", "HTTP 500: {\"error\":\"sink says 500\"} (gave up after 3 attempts)"), Touches.details(t));
    assertEquals(3, sink.calls(key).size());

    // the receiver is fixed (its script has run out: 200 from now on); an operator sends it again
    var requeued = server.api().post("/api/v1/touches/" + id + "/requeue", null);
    assertEquals(200, requeued.status(), requeued.toString());
    JsonObject sent = Touches.await(server.api(), id, "sent");
    assertEquals(1, sent.getInteger("attempts"), "attempts start again");
    assertEquals(4, sink.calls(key).size());
    List<String> statuses = Touches.statuses(sent);
    assertEquals(List.of("queued", "sending", "sent"), statuses.subList(statuses.size() - 3, statuses.size()));
  }

  @Test
  void aTouchLeftSendingPastItsLeaseIsSentAgain() throws Exception {
    String key = "lease-" + unique();
    JsonObject t = leftSendingUntil(key, 1, "sent");
    assertEquals(2, t.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "queued", "sending", "sent"), Touches.statuses(t));
    assertEquals("attempt 1", Touches.details(t).get(1), "the lost attempt, at its claim");
    assertTrue(Touches.details(t).get(2).startsWith("no result within the lease of 10000 ms"), Touches.details(t).toString());
    assertEquals("attempt 2", Touches.details(t).get(3));
    assertEquals(1, sink.calls(key).size());
  }

  @Test
  void aTouchWhoseLastAttemptOutlivedItsLeaseIsDeadNotSentAgain() throws Exception {
    String key = "lease-last-" + unique();
    JsonObject t = leftSendingUntil(key, 3, "dead");
    assertEquals(3, t.getInteger("attempts"), "the claim that found it gave up without sending");
    assertTrue(t.getString("last_error").startsWith("no result within the lease of 10000 ms on any of 3 attempts"),
        t.getString("last_error"));
    assertEquals(List.of("queued", "sending", "queued", "dead"), Touches.statuses(t), "no 'sending': no attempt was made");
    assertEquals(0, sink.calls(key).size());
    try (Connection conn = server.siyu().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM touch_queue q JOIN touches t ON t.id = q.touch_id "
            + "WHERE t.touch_key = ?")) {
      ps.setString(1, key);
      var rs = ps.executeQuery();
      rs.next();
      assertEquals(0, rs.getInt(1), "a dead touch leaves the queue");
    }
  }

  /**
   * A touch as if an instance had claimed it ({@code attempts} times so far) ten minutes ago and
   * died before recording the last one, its lease over a second ago; answers it once it has
   * reached {@code status}.
   */
  private static JsonObject leftSendingUntil(String key, int attempts, String status) throws Exception {
    assertEquals(1, Touches.enqueueAdjusted(server.siyu(), List.of(Touches.touch(key, Touches.contact(server.api()), "webhook")),
        "UPDATE touch_queue q SET attempts = ?, claimed_at = now() - interval '10 minutes', "
        + "leased_until = now() - interval '1 second' FROM touches t WHERE t.id = q.touch_id AND t.touch_key = ?",
        attempts, key));
    return Touches.await(server.api(), Touches.idOf(server.siyu(), key), status);
  }
}
