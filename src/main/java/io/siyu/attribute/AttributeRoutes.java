package io.siyu.attribute;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/attributes}: declare the custom attributes contacts may carry. */
public final class AttributeRoutes {
  private AttributeRoutes() {}

  public static void mount(Router api, AttributeService attributes) {
    api.get("/attributes").handler(Access.READ).handler(ctx ->
        attributes.list().onSuccess(a -> Bodies.ok(ctx, new JsonObject().put("items", a))).onFailure(ctx::fail));
    api.get("/attributes/:key").handler(Access.READ).handler(ctx ->
        attributes.get(ctx.pathParam("key")).onSuccess(a -> Bodies.ok(ctx, a)).onFailure(ctx::fail));
    api.post("/attributes").handler(Access.WRITE).handler(ctx ->
        attributes.create(Bodies.object(ctx))
            .onSuccess(a -> Bodies.created(ctx, a, "/api/v1/attributes", a.getString("key")))
            .onFailure(ctx::fail));
    api.patch("/attributes/:key").handler(Access.WRITE).handler(ctx ->
        attributes.update(ctx.pathParam("key"), Bodies.object(ctx)).onSuccess(a -> Bodies.ok(ctx, a)).onFailure(ctx::fail));
    api.delete("/attributes/:key").handler(Access.WRITE).handler(ctx ->
        attributes.delete(ctx.pathParam("key")).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));
  }
}
