package io.siyu.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Touches;
import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.Eventually;
import io.siyu.support.FakeSmsGateway;
import io.siyu.support.OwnServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /templates/{key}/test-send}: the current version rendered for a contact and sent on the
 * channel asked for (here a real SMS gateway on loopback) as a test touch — what the preview showed is
 * what the member gets — which no frequency cap counts; refused with a clear 422 when the channel is
 * not configured or cannot reach the contact.
 */
class TemplateTestSendTest {
  @RegisterExtension
  static final FakeSmsGateway gateway = new FakeSmsGateway();

  /** One marketing touch per contact and day, deferred beyond it. */
  @RegisterExtension
  static final OwnServer server = new OwnServer(gateway.env(), Map.of("SIYU_OUTBOX_POLL_MS", "20",
      "SIYU_CHANNEL_FALLBACK", "none", "SIYU_FREQUENCY_CAP", "1/day"));

  private static String template(Api api) {
    String key = "test_send_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Reply made = api.post("/api/v1/templates", new JsonObject().put("key", key).put("kind", "marketing")
        .put("variants", new JsonArray()
            .add(new JsonObject().put("channel", "sms").put("locale", "zh-CN")
                .put("body", "{{ contact.name | default: \"朋友\" }}，您的券 {{ coupon.code }} 已到账 回TD退订"))
            .add(new JsonObject().put("channel", "email").put("locale", "zh-CN").put("subject", "券已到账")
                .put("body", "<p>{{ contact.name }}，您的券 <b>{{ coupon.code }}</b></p>"))
            .add(new JsonObject().put("channel", "wecom").put("locale", "zh-CN")
                .put("body", "{{ contact.name }}，企微专享券 {{ coupon.code }}"))));
    assertEquals(201, made.status(), made.toString());
    return key;
  }

  private static long contact(Api api, JsonObject fields) {
    Reply r = api.post("/api/v1/contacts", fields.put("external_userid", "ts-" + UUID.randomUUID()));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static String mobile() {
    return "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
  }

  private static Reply testSend(Api api, String key, JsonObject body) {
    return api.post("/api/v1/templates/" + key + "/test-send", body);
  }

  private static JsonObject coupon() {
    return new JsonObject().put("coupon", new JsonObject().put("code", "A1B2"));
  }

  @Test
  void theMemberGetsWhatThePreviewShowedAsATestTheCapDoesNotCount() {
    Api api = server.api();
    String key = template(api);
    // consent to marketing SMS, which SIYU_CONSENT_REQUIRED asks for by default (the marketing touches below)
    long contact = contact(api, new JsonObject().put("mobile", mobile()).put("name", "韩梅梅")
        .put("consent", new JsonObject().put("sms", true)));
    JsonObject body = new JsonObject().put("contact_id", contact).put("channel", "sms").put("variables", coupon());

    Reply preview = api.post("/api/v1/templates/" + key + "/preview", body);
    assertEquals(200, preview.status(), preview.toString());
    assertEquals("韩梅梅，您的券 A1B2 已到账 回TD退订", preview.json().getString("text"));

    Reply sent = testSend(api, key, body);
    assertEquals(202, sent.status(), sent.toString());
    assertEquals(1, sent.json().getInteger("version"));
    long touchId = sent.json().getLong("touch_id");
    JsonObject touch = Touches.settle(api, touchId);
    assertEquals("sent", touch.getString("status"), touch.encode());
    assertTrue(touch.getBoolean("test"), touch.encode());
    assertTrue(touch.getString("touch_key").startsWith("test:"), touch.encode());
    assertEquals("transactional", touch.getString("kind"), "a test is held by no cap and no quiet hours");
    assertEquals(key, touch.getString("template_key"));
    assertNull(touch.getValue("journey_key"), "no funnel counts it");
    FakeSmsGateway.Request request = gateway.requests().stream()
        .filter(r -> r.json().getString("request_id").equals(touch.getString("touch_key"))).findFirst().orElseThrow();
    assertEquals(preview.json().getString("text"), request.json().getJsonObject("params").getString("text"),
        "the member reads what the preview showed");

    // a second test is a touch of its own, sent although the cap is one a day
    long second = testSend(api, key, body).json().getLong("touch_id");
    assertTrue(second != touchId);
    assertEquals("sent", Touches.settle(api, second).getString("status"));
    // and the day's one marketing touch is still free: the tests took no place of the cap
    long marketing = api.post("/api/v1/touches", new JsonObject().put("contact_id", contact).put("channel", "sms")
        .put("template", key).put("kind", "marketing").put("data", new JsonObject().put("variables", coupon())))
        .json().getLong("id");
    assertEquals("sent", Touches.settle(api, marketing).getString("status"));
    long overCap = api.post("/api/v1/touches", new JsonObject().put("contact_id", contact).put("channel", "sms")
        .put("template", key).put("kind", "marketing").put("data", new JsonObject().put("variables", coupon())))
        .json().getLong("id");
    assertTrue(waitForDetail(api, overCap, "frequency cap"), "the cap is on: the next marketing touch waits");
  }

  private static boolean waitForDetail(Api api, long touchId, String text) {
    for (int i = 0; i < 200; i++) {
      if (Touches.details(api.get("/api/v1/touches/" + touchId).json()).stream().anyMatch(d -> d != null && d.contains(text))) {
        return true;
      }
      Eventually.sleep(50);
    }
    return false;
  }

  @Test
  void anIdempotencyKeyMakesARetriedRequestOneTouch() {
    Api api = server.api();
    String key = template(api);
    long contact = contact(api, new JsonObject().put("mobile", mobile()));
    Buffer body = Buffer.buffer(new JsonObject().put("contact_id", contact).put("channel", "sms").put("variables", coupon()).encode());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "retry-" + UUID.randomUUID());
    Reply first = api.send(HttpMethod.POST, "/api/v1/templates/" + key + "/test-send", "application/json", body, headers);
    Reply again = api.send(HttpMethod.POST, "/api/v1/templates/" + key + "/test-send", "application/json", body, headers);
    assertEquals(202, first.status(), first.toString());
    assertEquals(first.json().getLong("touch_id"), again.json().getLong("touch_id"));
  }

  @Test
  void aChannelThatCannotReachTheContactIsAClear422AndQueuesNothing() {
    Api api = server.api();
    String key = template(api);
    long noMobile = contact(api, new JsonObject().put("name", "无手机"));
    long before = api.get("/api/v1/touches?contact_id=" + noMobile).items().size();

    Reply noAddress = testSend(api, key, new JsonObject().put("contact_id", noMobile).put("channel", "sms").put("variables", coupon()));
    assertEquals(422, noAddress.status(), noAddress.toString());
    assertEquals("contact_id", noAddress.errorField());
    assertTrue(noAddress.body().contains("no address on sms (mobile)"), noAddress.toString());

    Reply notConfigured = testSend(api, key, new JsonObject().put("contact_id", noMobile).put("channel", "email")
        .put("variables", coupon()));
    assertEquals(422, notConfigured.status(), notConfigured.toString());
    assertEquals("channel", notConfigured.errorField());
    assertTrue(notConfigured.body().contains("not configured"), notConfigured.toString());

    long optedOut = contact(api, new JsonObject().put("mobile", mobile()).put("consent", new JsonObject().put("sms", false)));
    Reply refused = testSend(api, key, new JsonObject().put("contact_id", optedOut).put("channel", "sms").put("variables", coupon()));
    assertEquals(422, refused.status(), refused.toString());
    assertTrue(refused.body().contains("opted out"), refused.toString());

    Reply unrendered = testSend(api, key, new JsonObject().put("contact_id", noMobile).put("channel", "log"));
    assertEquals(422, unrendered.status(), "coupon.code is missing: " + unrendered);
    assertEquals("render-failed", unrendered.problemType());

    assertEquals(before, api.get("/api/v1/touches?contact_id=" + noMobile).items().size(), "nothing queued");
    assertEquals(404, testSend(api, "no_such_template", new JsonObject().put("contact_id", noMobile).put("channel", "log")).status());
    assertEquals(404, testSend(api, key, new JsonObject().put("contact_id", 999_999_999).put("channel", "log")
        .put("variables", coupon())).status());
    assertEquals(403, server.as(managerToken()).post("/api/v1/templates/" + key + "/test-send",
        new JsonObject().put("contact_id", noMobile).put("channel", "log")).status());
  }

  private static String managerToken() {
    return server.api().post("/api/v1/tokens", new JsonObject().put("name", "ts-manager-" + UUID.randomUUID())
        .put("role", "manager")).json().getString("token");
  }

  /** The preview shows each channel's message as the member sees it: SMS and WeCom text, email HTML with its subject. */
  @Test
  void thePreviewShowsEachChannelAsTheMemberSeesIt() {
    Api api = server.api();
    String key = template(api);
    long contact = contact(api, new JsonObject().put("name", "李雷"));
    JsonObject sms = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "sms").put("variables", coupon())).json();
    assertEquals("李雷，您的券 A1B2 已到账 回TD退订", sms.getString("text"));
    assertNull(sms.getValue("html"));
    JsonObject email = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "email").put("variables", coupon())).json();
    assertEquals("券已到账", email.getString("subject"));
    assertTrue(email.getString("html").contains("<b>A1B2</b>"), email.encode());
    assertFalse(email.getString("text").contains("<"), "the text alternative is plain: " + email.encode());
    JsonObject wecom = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "wecom").put("variables", coupon())).json();
    assertEquals("李雷，企微专享券 A1B2", wecom.getString("text"));
    assertEquals("wecom", wecom.getString("channel"));
  }
}
