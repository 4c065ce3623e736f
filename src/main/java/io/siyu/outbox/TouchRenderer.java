package io.siyu.outbox;

import io.vertx.core.Future;
import java.util.function.UnaryOperator;

/**
 * Renders a touch's template for the channel it goes out on. {@code links} turns each URL of the
 * message into the one to send (a tracked short link). A {@link Failure} is permanent (a template
 * that is missing, does not fit the channel, or names data the touch does not have will not render
 * on the next try either): the touch is dead with its message, and nothing half-rendered is sent.
 * Any other failure (the database, say) is tried again.
 */
public interface TouchRenderer {
  Future<Content> render(Touch touch, UnaryOperator<String> links);

  /** A render that will never succeed as things are. */
  final class Failure extends RuntimeException {
    public Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** For a Siyu without templates: every render fails, saying so. */
  TouchRenderer NONE = (touch, links) -> Future.failedFuture(new Failure("no template engine"));
}
