package io.siyu.outbox;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.siyu.web.Params;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/touches}: what the outbox holds and what became of it; requeue the dead. */
public final class TouchRoutes {
  private static final int MAX_FILTER = 200;

  private TouchRoutes() {}

  public static void mount(Router api, TouchService touches) {
    api.get("/touches").handler(Access.TOUCHES_READ).handler(ctx -> list(ctx, touches));
    api.post("/touches").handler(Access.TOUCHES_WRITE).handler(ctx ->
        touches.send(Bodies.object(ctx), ctx.request().getHeader("Idempotency-Key"), Principal.of(ctx).actor())
            .onSuccess(t -> {
              boolean created = (Boolean) t.remove("created");
              if (created) {
                Bodies.created(ctx, t, "/api/v1/touches", t.getLong("id"));
              } else {
                Bodies.ok(ctx, t);
              }
            }).onFailure(ctx::fail));
    api.get("/touches/:id").handler(Access.TOUCHES_READ).handler(ctx ->
        touches.get(touchId(ctx)).onSuccess(t -> Bodies.ok(ctx, t)).onFailure(ctx::fail));
    api.post("/touches/:id/requeue").handler(Access.TOUCHES_WRITE).handler(ctx ->
        touches.requeue(touchId(ctx), Principal.of(ctx).actor()).onSuccess(t -> Bodies.ok(ctx, t)).onFailure(ctx::fail));
  }

  private static void list(RoutingContext ctx, TouchService touches) {
    Long contactId = Params.positiveId(ctx.queryParams(), "contact_id");
    String status = ctx.request().getParam("status");
    if (status != null && !TouchService.STATUSES.contains(status)) {
      throw Problem.invalid("status", "must be one of " + String.join(", ", new java.util.TreeSet<>(TouchService.STATUSES)));
    }
    touches.list(contactId, status, text(ctx, "journey_key"), text(ctx, "activity_id"), Page.of(ctx, TouchService.SORTS))
        .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
  }

  /** A free-text filter: bound as a value, but kept short and free of NUL (PostgreSQL text cannot hold it). */
  private static String text(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v != null && (v.isEmpty() || v.length() > MAX_FILTER || v.indexOf('\u0000') >= 0)) {
      throw Problem.invalid(name, "must be 1 to " + MAX_FILTER + " characters");
    }
    return v;
  }

  private static long touchId(RoutingContext ctx) {
    return Bodies.id(ctx, "id", "Touch");
  }
}
