package io.siyu.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
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
    return await(service().render(key, channel, locale, variables, rewriter));
  }

  /** The message of the RenderException the render fails with. */
  static String renderError(String key, String channel, String locale, JsonObject variables) {
    return renderError(service().render(key, channel, locale, variables, null));
  }

  /** The message of the RenderException {@code render} fails with. */
  static String renderError(Future<Rendered> render) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> render.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof RenderException, "expected a RenderException, got " + e.getCause());
    return e.getCause().getMessage();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonObject contact(String name) {
    return new JsonObject().put("contact", name == null ? new JsonObject() : new JsonObject().put("name", name));
  }
}
