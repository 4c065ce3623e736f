package io.siyu.template;

import static io.siyu.template.TemplateFixtures.api;
import static io.siyu.template.TemplateFixtures.create;
import static io.siyu.template.TemplateFixtures.key;
import static io.siyu.template.TemplateFixtures.service;
import static io.siyu.template.TemplateFixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Content;
import io.siyu.outbox.Recipient;
import io.siyu.outbox.Touch;
import io.siyu.outbox.TouchRenderer;
import io.siyu.support.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The dispatcher's render step: a touch's template for its channel and contact, failures permanent. */
class TemplateTouchRendererTest {
  private final TemplateTouchRenderer renderer = new TemplateTouchRenderer(service());

  private static Touch touch(long contactId, String channel, String template, JsonObject payload) {
    return new Touch(1, "k", contactId, "welcome", "pi", "sendDay3", channel, template, payload, 1, "marketing",
        new Recipient(null, null, null, null, null, new JsonObject()), null, 0);
  }

  private static long contact(String name) {
    return api.post("/api/v1/contacts", new JsonObject().put("external_userid", key("ext")).put("name", name))
        .json().getLong("id");
  }

  private String failure(Touch touch) {
    Throwable cause = Await.failure(renderer.render(touch, url -> url));
    assertTrue(cause instanceof TouchRenderer.Failure, "permanent: " + cause);
    return cause.getMessage();
  }

  @Test
  void aTouchRendersWithItsContactJourneyEventAndVariables() {
    String key = create("touch", variant("sms", "en", "{{ contact.name }} {{ journey.key }}/{{ journey.step }} "
        + "{{ event.type }} {{ coupon.code }} https://example.com/x"), variant("sms", "zh-CN", "中文"));
    JsonObject payload = new JsonObject().put("kind", "marketing").put("entry_key", "once").put("locale", "en")
        .put("trigger", new JsonObject().put("type", "member.registered"))
        .put("variables", new JsonObject().put("coupon", new JsonObject().put("code", "C9")));
    Content content = Await.result(renderer.render(touch(contact("Lily"), "sms", key, payload), url -> "https://t.example/1"));
    assertEquals("Lily welcome/sendDay3 member.registered C9 https://t.example/1", content.text());
    assertEquals(1, content.templateVersion());
    assertEquals("中文", Await.result(renderer.render(touch(contact("Lily"), "sms", key, new JsonObject()), url -> url)).text(),
        "no locale in the payload: zh-CN");
  }

  @Test
  void whatCannotRenderFailsForGood() {
    String key = create("touchfail", variant("sms", "zh-CN", "{{ coupon.code }}"));
    assertEquals("coupon.code is not defined", failure(touch(contact("x"), "sms", key, new JsonObject())));
    assertEquals("template no_such_template does not exist",
        failure(touch(contact("x"), "sms", "no_such_template", new JsonObject())));
    assertEquals("Contact 999999999 does not exist", failure(touch(999_999_999L, "sms", key, new JsonObject())));
  }
}
