package io.siyu.template;

import io.siyu.web.Problem;
import io.vertx.core.json.JsonObject;

/**
 * A template could not be rendered into a whole message: a variable without a default is missing,
 * a channel limit is exceeded, or no variant fits. Nothing half-rendered is ever returned; the
 * caller (the dispatcher, a preview) records the message.
 */
public final class RenderException extends RuntimeException {
  public RenderException(String message) {
    super(message, null, false, false);
  }

  /** The 422 a preview answers with. */
  public Problem problem() {
    return new Problem(422, "render-failed", "Template could not be rendered", getMessage(),
        new JsonObject().put("error", getMessage()));
  }
}
