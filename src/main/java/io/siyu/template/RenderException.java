package io.siyu.template;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonObject;

/**
 * A template could not be rendered into a whole message: a variable without a default is missing,
 * no variant fits, or the render went past a limit of its channel ({@link #tooLarge}, {@link #tooSlow}).
 * Nothing half-rendered is ever returned; the caller (the dispatcher, a preview) records the message.
 */
public final class RenderException extends RuntimeException {
  private final String slug;
  private final String title;

  public RenderException(String message) {
    this("render-failed", "Template could not be rendered", message);
  }

  private RenderException(String slug, String title, String message) {
    super(message, null, false, false);
    this.slug = slug;
    this.title = title;
  }

  /** The message, or a text the render built on the way, is larger than its channel allows. */
  static RenderException tooLarge(String message) {
    return new RenderException("template-too-large", "Template too large", "template too large: " + message);
  }

  /** The render ran past its time limit. */
  static RenderException tooSlow(String message) {
    return new RenderException("template-too-slow", "Template too slow", "template too slow: " + message);
  }

  /** Whether the render hit a size or time limit (rather than missing data or a missing variant). */
  boolean overLimit() {
    return !"render-failed".equals(slug);
  }

  /** The 422 a preview answers with. */
  public Problem problem() {
    return new Problem(422, slug, title, getMessage(), new JsonObject().put("error", getMessage()));
  }
}
