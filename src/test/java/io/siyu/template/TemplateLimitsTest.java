package io.siyu.template;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Touches;
import io.siyu.support.Api.Reply;
import io.siyu.support.Eventually;
import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Templates that would build a gigabyte or run for seconds: refused when saved if they do so
 * whatever the data, stopped while they grow (422 {@code template-too-large}) or at the time limit
 * (422 {@code template-too-slow}) when previewed, and failed for good when the dispatcher renders
 * them, with every other touch still sent. One event loop, so a render on it would hold up the rest.
 */
class TemplateLimitsTest {
  @RegisterExtension
  // the shipped birthday template's SMS does not fit in 20 characters, so its journey (which
  // names it) is not deployed here: no journeys directory
  static final OwnServer server = new OwnServer(Map.of("SIYU_HTTP_EVENT_LOOPS", "1",
      "SIYU_TEMPLATE_RENDER_TIMEOUT_MS", "2000", "SIYU_TEMPLATE_SMS_MAX_CHARS", "20",
      "SIYU_JOURNEYS_DIR", "target/no-journeys-here"));

  /** The bomb: a string appended to itself 27 times, 8 bytes × 2^27 = 1 GiB. */
  private static String doubling(String seed) {
    return "{% assign s = " + seed + " %}" + "{% assign s = s | append: s %}".repeat(27) + "{{ s }}";
  }

  /** The same, but the string comes with the data: empty when saved, eight characters when rendered. */
  private static final String DOUBLING_THE_DATA = doubling("seed | default: \"\"");

  /** Four passes over a third of a megabyte in each of 10,000 iterations: about ten seconds' work. */
  private static final String SLOW_WITH_THE_DATA = "{% assign s = seed | default: \"\" %}"
      + "{% assign s = s | append: s | append: s | append: s | append: s | append: s | append: s %}"
      + "{% for i in (1..10000) %}{% assign t = s | upcase | downcase | upcase | downcase %}{% endfor %}done";

  private static String create(JsonObject... variants) {
    String key = "limits_" + unique();
    Reply r = server.api().post("/api/v1/templates", new JsonObject().put("key", key)
        .put("variants", new JsonArray(List.of((Object[]) variants))));
    assertEquals(201, r.status(), r.toString());
    return key;
  }

  private static JsonObject variant(String channel, String body) {
    return new JsonObject().put("channel", channel).put("locale", "zh-CN").put("body", body);
  }

  private static Reply preview(String key, String channel, JsonObject variables) {
    return server.api().post("/api/v1/templates/" + key + "/preview", new JsonObject()
        .put("contact_id", Touches.contact(server.api())).put("channel", channel).put("variables", variables));
  }

  @Test
  void aTemplateThatDoublesAFixedStringIsRefusedWhenSaved() {
    Reply r = server.api().post("/api/v1/templates", new JsonObject().put("key", "bomb_" + UUID.randomUUID()
        .toString().substring(0, 8)).put("variants", new JsonArray().add(variant("wecom", doubling("\"12345678\"")))));
    assertEquals(422, r.status(), r.toString());
    assertEquals("variants[0].body", r.errorField());
    String message = r.json().getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(message.contains("template too large"), message);
  }

  @Test
  void includeCannotReadTheServersFiles() {
    for (String include : List.of("{% include '/etc/hostname' %}", "{% include_relative /etc/hostname %}")) {
      Reply r = server.api().post("/api/v1/templates", new JsonObject().put("key", "inc_" + UUID.randomUUID()
          .toString().substring(0, 8)).put("variants", new JsonArray().add(variant("sms", include))));
      assertEquals(422, r.status(), r.toString());
      assertTrue(r.json().getJsonArray("errors").getJsonObject(0).getString("message").contains("not available"),
          r.toString());
    }
  }

  @Test
  void aPreviewThatGrowsPastTheLimitIs422TemplateTooLarge() {
    String key = create(variant("default", DOUBLING_THE_DATA), variant("sms", "{{ text }}"));
    Reply bomb = preview(key, "wecom", new JsonObject().put("seed", "12345678"));
    assertEquals(422, bomb.status(), bomb.toString());
    assertEquals("template-too-large", bomb.problemType());
    assertTrue(bomb.json().getString("detail").contains("more than 8192 characters"), bomb.toString());

    Reply sms = preview(key, "sms", new JsonObject().put("text", "二十一个字二十一个字二十一个字二十一个字！"));
    assertEquals(422, sms.status(), sms.toString());
    assertEquals("template-too-large", sms.problemType());
    assertEquals("template too large: sms text is 21 characters, over the limit of 20", sms.json().getString("detail"));
    assertEquals(200, preview(key, "sms", new JsonObject().put("text", "二十个字二十个字二十个字二十个字二十个字")).status(),
        "SIYU_TEMPLATE_SMS_MAX_CHARS=20 allows twenty");
  }

  @Test
  void aSlowPreviewIs422TemplateTooSlowAndHealthAnswersMeanwhile() throws Exception {
    String key = create(variant("default", SLOW_WITH_THE_DATA));
    long contact = Touches.contact(server.api());
    CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> server.api().post(
        "/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact).put("channel", "log")
            .put("variables", new JsonObject().put("seed", "0123456789".repeat(5_000)))));
    Eventually.await("the preview to arrive", () -> server.siyu().requestsInFlight() > 0);
    Eventually.sleep(200);
    Reply health = server.as(null).get("/health");
    assertEquals(200, health.status(), health.toString());
    assertFalse(slow.isDone(), "the one event loop answered /health while the template was rendering");
    Reply answered = slow.get();
    assertEquals(422, answered.status(), answered.toString());
    assertEquals("template-too-slow", answered.problemType());
    assertEquals("template too slow: the render used more than 2000 ms of CPU", answered.json().getString("detail"));
  }

  @Test
  void aBombOnTheDispatchPathKillsItsTouchAndTheOthersAreSent() {
    String bomb = create(variant("default", DOUBLING_THE_DATA));
    String fine = create(variant("default", "{{ contact.name | default: \"朋友\" }}，您好 {{ seed }}"));
    long contact = Touches.contact(server.api());
    JsonObject data = new JsonObject().put("variables", new JsonObject().put("seed", "12345678"));
    long bad = send(contact, bomb, data);
    long good = send(contact, fine, data);

    JsonObject dead = Touches.await(server.api(), bad, "dead");
    assertTrue(dead.getString("last_error").contains("template too large"), dead.encode());
    assertEquals(1, dead.getInteger("attempts"), "a render over the limit is not tried again");
    Touches.await(server.api(), good, "sent");
    assertEquals(201, server.api().post("/api/v1/touches", new JsonObject().put("contact_id", contact)
        .put("channel", "log").put("template", fine).put("data", data)).status(), "the dispatcher keeps taking touches");
  }

  private static long send(long contact, String template, JsonObject data) {
    Reply r = server.api().post("/api/v1/touches", new JsonObject().put("contact_id", contact).put("channel", "log")
        .put("template", template).put("data", data));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  @Test
  void limitsAreConfiguredPerChannelAndABadValueNamesItsVariable() {
    MessageLimits limits = MessageLimits.fromEnv(Map.of("SIYU_TEMPLATE_WECOM_MAX_BYTES", "4000"));
    assertEquals(4000, limits.wecomBytes());
    assertEquals(MessageLimits.DEFAULTS.smsChars(), limits.smsChars());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MessageLimits.fromEnv(Map.of("SIYU_TEMPLATE_RENDER_TIMEOUT_MS", "0")));
    assertTrue(e.getMessage().startsWith("SIYU_TEMPLATE_RENDER_TIMEOUT_MS must be"), e.getMessage());
  }
}
