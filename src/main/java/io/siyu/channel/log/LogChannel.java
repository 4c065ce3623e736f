package io.siyu.channel.log;

import io.siyu.outbox.Channel;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Touch;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log}: writes the touch's rendered text to the log and calls it sent — for trying journeys
 * and test-sends without a provider. It renders like the real channels, so a template that would not
 * render for them fails here too. The line names the touch, the contact by id, the template and its
 * version, then the text as the member would read it: a test-send is for seeing that text, greeting
 * included. The contact's mobile and email are not written; the {@code contact} variable does not
 * carry them, so a message holds one only when its sender passed one in the touch's variables.
 */
public final class LogChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

  @Override
  public String name() {
    return "log";
  }

  @Override
  public boolean needsContent() {
    return true;
  }

  @Override
  public Future<Delivery> send(Touch t) {
    log.info("Touch {} to contact {}: template {} version {} (journey {}, step {})\n{}", t.touchKey(), t.contactId(),
        t.templateKey(), t.content().templateVersion(), t.journeyKey(), t.activityId(),
        t.content().text().indent(4).stripTrailing());
    return Future.succeededFuture(Delivery.sent("logged"));
  }
}
