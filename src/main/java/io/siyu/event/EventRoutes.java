package io.siyu.event;

import io.siyu.auth.Access;
import io.siyu.contact.ContactService;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.siyu.web.Params;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /api/v1/events}: post one event ({@code 201}, or {@code 200} with the original and
 * {@code Siyu-Duplicate: true} when its id was seen before) or a batch of up to 1,000.
 */
public final class EventRoutes {
  private EventRoutes() {}

  public static void mount(Router api, EventService events, ContactService contacts) {
    api.post("/events").handler(Access.INGEST).handler(postOne(events));
    api.post("/events/batch").handler(Access.INGEST).handler(postBatch(events));
    api.get("/events").handler(Access.READ).handler(ctx -> list(ctx, events));
    api.get("/events/:key").handler(Access.READ).handler(ctx ->
        events.get(ctx.pathParam("key")).onSuccess(e -> Bodies.ok(ctx, e)).onFailure(ctx::fail));
    api.get("/contacts/:id/events").handler(Access.READ).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "Contact");
      Page page = Page.of(ctx, EventService.SORTS);
      contacts.get(id).compose(c -> events.ofContact(id, page))
          .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
    });
  }

  /**
   * One event from the body: {@code 201}, or {@code 200} with the original and
   * {@code Siyu-Duplicate: true} when its id was seen before. Shared by the API and the signed
   * webhook, which differ only in how the caller is authenticated.
   */
  public static Handler<RoutingContext> postOne(EventService events) {
    return ctx -> events.ingest(List.of(Bodies.object(ctx)), false).onSuccess(stored -> {
      EventService.Stored s = stored.get(0);
      ctx.response().putHeader("Siyu-Duplicate", String.valueOf(s.duplicate()));
      if (s.duplicate()) {
        Bodies.ok(ctx, s.event());
      } else {
        Bodies.created(ctx, s.event(), "/api/v1/events", s.event().getString("id"));
      }
    }).onFailure(ctx::fail);
  }

  /** {@code {"events": [...]}}, 1 to 1,000: each reported created or duplicate; one bad event stores none. */
  public static Handler<RoutingContext> postBatch(EventService events) {
    return ctx -> {
      Object list = Bodies.object(ctx).getValue("events");
      if (!(list instanceof JsonArray arr) || arr.isEmpty() || arr.size() > EventService.MAX_BATCH) {
        throw Problem.invalid("events", "must be a list of 1 to " + EventService.MAX_BATCH + " events");
      }
      List<Object> raw = new java.util.ArrayList<>();
      arr.forEach(o -> raw.add(json(o)));
      events.ingest(raw, true).onSuccess(stored -> {
        JsonArray results = new JsonArray();
        stored.forEach(s -> results.add(new JsonObject()
            .put("status", s.duplicate() ? "duplicate" : "created").put("event", s.event())));
        long created = stored.stream().filter(s -> !s.duplicate()).count();
        Bodies.ok(ctx, new JsonObject().put("created", created).put("duplicates", stored.size() - created)
            .put("results", results));
      }).onFailure(ctx::fail);
    };
  }

  @SuppressWarnings("unchecked")
  private static Object json(Object o) {
    return o instanceof java.util.Map<?, ?> m ? new JsonObject((java.util.Map<String, Object>) m) : o;
  }

  private static void list(RoutingContext ctx, EventService events) {
    Long contactId = Params.positiveId(ctx.queryParams(), "contact_id");
    String type = ctx.request().getParam("type");
    if (type != null && !EventInput.TYPE.matcher(type).matches()) {
      throw Problem.invalid("type", "is not an event type");
    }
    events.list(contactId, type, Params.timestamp(ctx.queryParams(), "since"),
            Params.timestamp(ctx.queryParams(), "until"), Page.of(ctx, EventService.SORTS))
        .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
  }
}
