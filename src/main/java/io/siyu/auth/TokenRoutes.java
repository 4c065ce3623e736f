package io.siyu.auth;

import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/tokens}: admins create, list and revoke API tokens. */
public final class TokenRoutes {
  private TokenRoutes() {}

  public static void mount(Router api, TokenService tokens) {
    api.post("/tokens").handler(Access.ADMIN).handler(ctx -> {
      JsonObject body = Bodies.object(ctx);
      String name = body.getValue("name") instanceof String s ? s.trim() : null;
      if (name == null || name.isEmpty() || name.length() > 100) {
        throw Problem.invalid("name", "is required, 1 to 100 characters");
      }
      Role role = body.getValue("role") instanceof String s ? Role.fromWire(s) : null;
      if (role == null) {
        throw Problem.invalid("role", "must be one of admin, operator, manager, integration");
      }
      tokens.create(name, role, Principal.of(ctx))
          .onSuccess(t -> Bodies.created(ctx, t, "/api/v1/tokens", t.getLong("id")))
          .onFailure(ctx::fail);
    });
    api.get("/tokens").handler(Access.ADMIN).handler(ctx ->
        tokens.list(Page.of(ctx, TokenService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.delete("/tokens/:id").handler(Access.ADMIN).handler(ctx ->
        tokens.revoke(Bodies.id(ctx, "id", "Token")).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));
  }
}
