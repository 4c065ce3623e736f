package io.siyu.event.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.siyu.wechatoa.WechatOaSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without their secrets the inbound webhooks say they are not set up (the shared test server sets
 * neither), and settings that cannot work stop the start naming the variable.
 */
class WebhooksUnconfiguredTest {
  private static final Api anonymous = TestSiyu.anonymous();

  private static void assertNotConfigured(Reply r, String variable) {
    assertEquals(503, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    assertEquals("not-configured", r.problemType());
    assertTrue(r.json().getString("detail").startsWith(variable + " is not set"), r.toString());
  }

  @Test
  void unsetSecretsAreAClearProblem() {
    String id = "unconfigured-" + java.util.UUID.randomUUID();
    JsonObject event = new JsonObject().put("id", id).put("type", "sign_in")
        .put("contact", new JsonObject().put("mobile", "13700000000"));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Siyu-Timestamp", "1").add("X-Siyu-Signature", "sha256=00");
    assertNotConfigured(anonymous.send(HttpMethod.POST, "/webhooks/events", "application/json", event.toBuffer(), headers),
        "SIYU_INBOUND_SECRET");
    assertNotConfigured(anonymous.send(HttpMethod.POST, "/webhooks/events/batch", "application/json",
        new JsonObject().put("events", new io.vertx.core.json.JsonArray().add(event)).toBuffer(), headers),
        "SIYU_INBOUND_SECRET");
    assertNotConfigured(anonymous.get("/webhooks/wechat-oa?signature=a&timestamp=1&nonce=2&echostr=x"),
        "SIYU_WECHAT_OA_TOKEN");
    assertNotConfigured(anonymous.send(HttpMethod.POST, "/webhooks/wechat-oa?signature=a&timestamp=1&nonce=2",
        "text/xml", Buffer.buffer("<xml/>")), "SIYU_WECHAT_OA_TOKEN");
    assertEquals(404, TestSiyu.admin().get("/api/v1/events/" + id).status());
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    Map<Map<String, String>, String> bad = Map.of(
        Map.of("SIYU_INBOUND_SECRET", "short"), "SIYU_INBOUND_SECRET must be at least 16",
        Map.of("SIYU_INBOUND_PREVIOUS_SECRET", "a-previous-secret-long-enough"), "SIYU_INBOUND_PREVIOUS_SECRET is only",
        Map.of("SIYU_INBOUND_SECRET", "a-secret-long-enough", "SIYU_INBOUND_PREVIOUS_SECRET", "short"),
        "SIYU_INBOUND_PREVIOUS_SECRET must be at least 16",
        Map.of("SIYU_INBOUND_MAX_AGE_SECONDS", "0"), "SIYU_INBOUND_MAX_AGE_SECONDS must be",
        Map.of("SIYU_WECHAT_OA_TOKEN", "with spaces"), "SIYU_WECHAT_OA_TOKEN must be",
        Map.of("SIYU_WECHAT_OA_MAX_AGE_SECONDS", "soon"), "SIYU_WECHAT_OA_MAX_AGE_SECONDS must be");
    bad.forEach((env, message) -> {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> {
        EventWebhookSettings.fromEnv(env);
        WechatOaSettings.fromEnv(env);
      });
      assertTrue(e.getMessage().startsWith(message), e.getMessage());
      env.values().forEach(v -> assertTrue(v.length() < 6 || !e.getMessage().contains(v), "no secret in " + e.getMessage()));
    });
    EventWebhookSettings ok = EventWebhookSettings.fromEnv(Map.of("SIYU_INBOUND_SECRET", "a-secret-long-enough"));
    WechatOaSettings oa = WechatOaSettings.fromEnv(Map.of("SIYU_WECHAT_OA_TOKEN", "token123"));
    assertEquals(300, ok.maxAgeSeconds());
    assertEquals(300, oa.maxAgeSeconds());
    assertEquals(1, ok.secrets().size());
    assertTrue(!ok.toString().contains("a-secret-long-enough") && !oa.toString().contains("token123"));
  }
}
