package io.siyu.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.siyu.app.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings, backoff and where a send's answer leads. */
class OutboxSettingsTest {
  private static OutboxSettings settings(Map<String, String> env) {
    return Config.fromMap(env).outbox();
  }

  private static Touch attempt(int n) {
    return new Touch(1, "k", 1, null, null, null, "webhook", "t", new io.vertx.core.json.JsonObject(), n, "marketing",
        new Recipient(null, null, null, null, null, null), null, 0);
  }

  @Test
  void defaults() {
    OutboxSettings s = settings(Map.of());
    assertEquals(200, s.pollMs());
    assertEquals(1000, s.retryBaseMs());
    assertEquals(600_000, s.retryMaxMs());
    assertEquals(8, s.maxAttempts());
    assertEquals(5000, s.webhookTimeoutMs());
    assertEquals(null, s.webhookUrl());
  }

  @Test
  void backoffDoublesUpToTheCap() {
    OutboxSettings s = settings(Map.of());
    assertEquals(1000, s.backoffMs(1));
    assertEquals(2000, s.backoffMs(2));
    assertEquals(4000, s.backoffMs(3));
    assertEquals(512_000, s.backoffMs(10));
    assertEquals(600_000, s.backoffMs(11));
    assertEquals(600_000, s.backoffMs(1000), "no overflow however many attempts");
  }

  @Test
  void badSettingsStopTheStart() {
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("SIYU_OUTBOX_MAX_ATTEMPTS", "0")));
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("SIYU_OUTBOX_RETRY_MAX_MS", "10")));
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("SIYU_WEBHOOK_URL", "ftp://example.com/x")));
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("SIYU_OUTBOX_POLL_MS", "soon")));
  }

  @Test
  void whereAnAnswerLeads() {
    OutboxSettings s = settings(Map.of("SIYU_OUTBOX_MAX_ATTEMPTS", "3"));
    assertEquals(new Transitions.Next("sent", 0, "HTTP 200"), Transitions.next(attempt(1), Delivery.sent("HTTP 200"), s));
    assertEquals(new Transitions.Next("dead", 0, "HTTP 400"), Transitions.next(attempt(1), Delivery.failed("HTTP 400"), s));
    assertEquals(new Transitions.Next("queued", 2000, "HTTP 500 (retry in 2000 ms)"),
        Transitions.next(attempt(2), Delivery.retry("HTTP 500"), s));
    assertEquals(new Transitions.Next("dead", 0, "HTTP 500 (gave up after 3 attempts)"),
        Transitions.next(attempt(3), Delivery.retry("HTTP 500"), s));
  }
}
