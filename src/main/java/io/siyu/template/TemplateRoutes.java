package io.siyu.template;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.outbox.TestSends;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/templates}: templates, their versions, and previews for a contact. */
public final class TemplateRoutes {
  private TemplateRoutes() {}

  /** A version number in the path: anything but a positive number names no version (404). */
  private static int version(RoutingContext ctx) {
    return (int) Math.min(Bodies.id(ctx, "version", "Version of template " + ctx.pathParam("key")), Integer.MAX_VALUE);
  }

  /** {@code sends}: where test sends go (the outbox). */
  public static void mount(Router api, TemplateService templates, TestSends sends) {
    api.get("/templates").handler(Access.READ).handler(ctx ->
        templates.list(Page.of(ctx, TemplateStore.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.post("/templates").handler(Access.WRITE).handler(ctx ->
        templates.create(Bodies.object(ctx), Principal.of(ctx).actor())
            .onSuccess(t -> Bodies.created(ctx, t, "/api/v1/templates", t.getString("key"))).onFailure(ctx::fail));
    api.get("/templates/:key").handler(Access.READ).handler(ctx ->
        templates.get(ctx.pathParam("key")).onSuccess(t -> Bodies.ok(ctx, t)).onFailure(ctx::fail));
    api.post("/templates/:key/versions").handler(Access.WRITE).handler(ctx ->
        templates.addVersion(ctx.pathParam("key"), Bodies.object(ctx), Principal.of(ctx).actor())
            .onSuccess(v -> {
              if (v.getBoolean("created")) {
                Bodies.created(ctx, v, "/api/v1/templates", v.getString("key"), "versions", v.getInteger("version"));
              } else {
                Bodies.ok(ctx, v);
              }
            }).onFailure(ctx::fail));
    api.get("/templates/:key/versions/:version").handler(Access.READ).handler(ctx ->
        templates.version(ctx.pathParam("key"), version(ctx)).onSuccess(v -> Bodies.ok(ctx, v)).onFailure(ctx::fail));
    api.post("/templates/:key/test-send").handler(Access.WRITE).handler(ctx ->
        templates.testSend(ctx.pathParam("key"), Bodies.object(ctx), ctx.request().getHeader("Idempotency-Key"),
            Principal.of(ctx).actor(), sends).onSuccess(r -> Bodies.json(ctx, 202, r)).onFailure(ctx::fail));
    api.post("/templates/:key/preview").handler(Access.READ).handler(ctx ->
        templates.preview(ctx.pathParam("key"), Bodies.object(ctx)).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
  }
}
