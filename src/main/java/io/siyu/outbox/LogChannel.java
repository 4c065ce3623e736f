package io.siyu.outbox;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code log}: writes the touch to the log and calls it sent. For trying journeys out without a provider. */
public final class LogChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

  @Override
  public String name() {
    return "log";
  }

  @Override
  public Future<Delivery> send(Touch t) {
    log.info("Touch {} to contact {}: template {} with {} (journey {}, activity {})", t.touchKey(), t.contactId(),
        t.templateKey(), t.payload().encode(), t.journeyKey(), t.activityId());
    return Future.succeededFuture(Delivery.sent("logged"));
  }
}
