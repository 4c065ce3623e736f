package io.siyu.template;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.Await;
import io.siyu.support.TestSiyu;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/** Templates made through the real API, and the service the dispatcher calls, for the template tests. */
final class TemplateFixtures {
  static final Api api = TestSiyu.admin();

  private TemplateFixtures() {}

  static TemplateService service() {
    return TestSiyu.get().services().templates();
  }

  /** A key no other test uses. */
  static String key(String prefix) {
    return prefix + "_" + unique();
  }

  static JsonObject variant(String channel, String locale, String body) {
    return new JsonObject().put("channel", channel).put("locale", locale).put("body", body);
  }

  static JsonObject email(String locale, String subject, String html) {
    return variant("email", locale, html).put("subject", subject);
  }

  /** Creates a template with these variants through the API and answers its key. */
  static String create(String prefix, JsonObject... variants) {
    String key = key(prefix);
    Reply r = api.post("/api/v1/templates", new JsonObject().put("key", key).put("variants", new JsonArray(java.util.List.of(
        (Object[]) variants))));
    assertEquals(201, r.status(), r.toString());
    return key;
  }

  static Rendered render(String key, String channel, String locale, JsonObject variables) {
    return render(key, channel, locale, variables, null);
  }

  static Rendered render(String key, String channel, String locale, JsonObject variables, UnaryOperator<String> rewriter) {
    return Await.result(service().render(key, channel, locale, variables, rewriter));
  }

  /** The message of the RenderException the render fails with. */
  static String renderError(String key, String channel, String locale, JsonObject variables) {
    return renderError(service().render(key, channel, locale, variables, null));
  }

  /** The message of the RenderException {@code render} fails with. */
  static String renderError(Future<Rendered> render) {
    Throwable cause = Await.failure(render);
    assertTrue(cause instanceof RenderException, "expected a RenderException, got " + cause);
    return cause.getMessage();
  }

  static JsonObject contact(String name) {
    return new JsonObject().put("contact", name == null ? new JsonObject() : new JsonObject().put("name", name));
  }
}
