package io.siyu.wecom.callback;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.TreeSet;

/** {@code /api/v1/wecom/callbacks}: what WeCom sent and what became of it; replay the parked (admins only). */
public final class CallbackAdminRoutes {
  private static final int MAX_EVENT = 100;

  private CallbackAdminRoutes() {}

  public static void mount(Router api, CallbackInbox inbox) {
    api.get("/wecom/callbacks").handler(Access.ADMIN).handler(ctx -> list(ctx, inbox));
    api.get("/wecom/callbacks/:id").handler(Access.ADMIN).handler(ctx ->
        inbox.get(id(ctx)).onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
    api.post("/wecom/callbacks/:id/replay").handler(Access.ADMIN).handler(ctx ->
        inbox.replay(id(ctx), Principal.of(ctx).actor()).onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
  }

  private static void list(RoutingContext ctx, CallbackInbox inbox) {
    String status = ctx.request().getParam("status");
    if (status != null && !CallbackInbox.STATUSES.contains(status)) {
      throw Problem.invalid("status", "must be one of " + String.join(", ", new TreeSet<>(CallbackInbox.STATUSES)));
    }
    String event = ctx.request().getParam("event");
    if (event != null && (event.isEmpty() || event.length() > MAX_EVENT || event.indexOf('\u0000') >= 0)) {
      throw Problem.invalid("event", "must be 1 to " + MAX_EVENT + " characters");
    }
    inbox.list(status, event, Page.of(ctx, CallbackInbox.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
  }

  private static long id(RoutingContext ctx) {
    return Bodies.id(ctx, "id", "WeCom callback");
  }
}
