package io.siyu.inbound;

import io.siyu.event.EventService;
import io.siyu.web.Bodies;
import io.siyu.web.Problem;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /webhooks/events} and {@code /webhooks/events/batch}: the brand's own systems post
 * member events signed with {@code SIYU_INBOUND_SECRET} instead of holding an API token. The bodies
 * and answers are those of {@code POST /api/v1/events} and {@code /api/v1/events/batch}: the same
 * validation, the same deduplication by event id (a replay is a 200 with the original and
 * {@code Siyu-Duplicate: true}), and the answer only once the events are stored. The signature is
 * checked on the raw body before it is read as JSON, so an unsigned call learns nothing.
 */
final class EventWebhookRoutes {
  private EventWebhookRoutes() {}

  static void mount(Router webhooks, InboundSettings settings, EventService events, long bodyLimitBytes) {
    Handler<RoutingContext> signed = ctx -> {
      if (settings.secret() == null) {
        throw InboundWebhooks.notConfigured("SIYU_INBOUND_SECRET", "signed member events");
      }
      SiyuSignature.verify(settings.secrets(), ctx.request().headers(), ctx.body().buffer() == null
          ? io.vertx.core.buffer.Buffer.buffer() : ctx.body().buffer(), Instant.now(), settings.maxAgeSeconds());
      ctx.next();
    };
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimitBytes);
    webhooks.post("/events").handler(body).handler(signed).handler(ctx ->
        events.ingest(List.of(Bodies.object(ctx)), false).onSuccess(stored -> {
          EventService.Stored s = stored.get(0);
          ctx.response().putHeader("Siyu-Duplicate", String.valueOf(s.duplicate()));
          if (s.duplicate()) {
            Bodies.ok(ctx, s.event());
          } else {
            Bodies.created(ctx, "/api/v1/events/" + s.event().getString("id"), s.event());
          }
        }).onFailure(ctx::fail));
    webhooks.post("/events/batch").handler(body).handler(signed).handler(ctx -> {
      Object list = Bodies.object(ctx).getValue("events");
      if (!(list instanceof JsonArray arr) || arr.isEmpty() || arr.size() > EventService.MAX_BATCH) {
        throw Problem.invalid("events", "must be a list of 1 to " + EventService.MAX_BATCH + " events");
      }
      List<Object> raw = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        raw.add(arr.getValue(i)); // objects come out as JsonObject
      }
      events.ingest(raw, true).onSuccess(stored -> {
        JsonArray results = new JsonArray();
        stored.forEach(s -> results.add(new JsonObject()
            .put("status", s.duplicate() ? "duplicate" : "created").put("event", s.event())));
        long created = stored.stream().filter(s -> !s.duplicate()).count();
        Bodies.ok(ctx, new JsonObject().put("created", created).put("duplicates", stored.size() - created)
            .put("results", results));
      }).onFailure(ctx::fail);
    });
  }
}
