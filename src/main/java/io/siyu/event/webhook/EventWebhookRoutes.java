package io.siyu.event.webhook;

import io.siyu.event.EventRoutes;
import io.siyu.event.EventService;
import io.siyu.problem.Problem;
import io.siyu.web.SiyuSignature;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;

/**
 * {@code POST /webhooks/events} and {@code /webhooks/events/batch}: the brand's own systems post
 * member events signed with {@code SIYU_INBOUND_SECRET} instead of holding an API token. The bodies
 * and answers are those of {@code POST /api/v1/events} and {@code /api/v1/events/batch}: the same
 * validation, the same deduplication by event id (a replay is a 200 with the original and
 * {@code Siyu-Duplicate: true}), and the answer only once the events are stored. The signature is
 * checked on the raw body before it is read as JSON, so an unsigned call learns nothing.
 */
public final class EventWebhookRoutes {
  private EventWebhookRoutes() {}

  public static void mount(Router webhooks, EventWebhookSettings settings, EventService events, long bodyLimitBytes) {
    Handler<RoutingContext> signed = ctx -> {
      if (settings.secret() == null) {
        throw Problem.notConfigured("SIYU_INBOUND_SECRET", "signed member events");
      }
      SiyuSignature.verify(settings.secrets(), ctx.request().headers(), ctx.body().buffer() == null
          ? io.vertx.core.buffer.Buffer.buffer() : ctx.body().buffer(), Instant.now(), settings.maxAgeSeconds());
      ctx.next();
    };
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimitBytes);
    webhooks.post("/events").handler(body).handler(signed).handler(EventRoutes.postOne(events));
    webhooks.post("/events/batch").handler(body).handler(signed).handler(EventRoutes.postBatch(events));
  }
}
