package io.siyu.loyalty.rights;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/rights} (the catalogue and the expiry step) and {@code /api/v1/contacts/{id}/rights} (grants). */
public final class RightRoutes {
  private RightRoutes() {}

  public static void mount(Router api, RightService rights) {
    // before /rights/:id so "expire" is never read as an id
    api.post("/rights/expire").handler(Access.ADMIN).handler(ctx ->
        rights.expire().onSuccess(n -> Bodies.ok(ctx, new JsonObject().put("expired", n))).onFailure(ctx::fail));
    api.post("/rights").handler(Access.WRITE).handler(ctx ->
        rights.create(Bodies.object(ctx))
            .onSuccess(r -> Bodies.created(ctx, r, "/api/v1/rights", r.getLong("id"))).onFailure(ctx::fail));
    api.get("/rights").handler(Access.READ).handler(ctx ->
        rights.list(Page.of(ctx, RightService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/rights/:id").handler(Access.READ).handler(ctx ->
        rights.get(rightId(ctx)).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.patch("/rights/:id").handler(Access.WRITE).handler(ctx ->
        rights.update(rightId(ctx), Bodies.object(ctx)).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.post("/rights/:id/retire").handler(Access.WRITE).handler(ctx ->
        rights.retire(rightId(ctx)).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));

    api.post("/contacts/:id/rights").handler(Access.WRITE).handler(ctx -> {
      long contactId = contactId(ctx);
      rights.grant(contactId, Bodies.object(ctx), Principal.of(ctx).actor()).onSuccess(g -> {
        if (g.isNew()) {
          Bodies.created(ctx, g.grant(), "/api/v1/contacts", contactId, "rights", g.grant().getLong("id"));
        } else {
          Bodies.ok(ctx, g.grant()); // a replay of the grant_key: the original grant, nothing granted
        }
      }).onFailure(ctx::fail);
    });
    api.get("/contacts/:id/rights").handler(Access.READ).handler(ctx ->
        rights.ofContact(contactId(ctx), Page.of(ctx, RightService.GRANT_SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/contacts/:id/rights/:grantId").handler(Access.READ).handler(ctx ->
        rights.getGrant(contactId(ctx), grantId(ctx)).onSuccess(g -> Bodies.ok(ctx, g)).onFailure(ctx::fail));
    api.post("/contacts/:id/rights/:grantId/redeem").handler(Access.WRITE).handler(ctx ->
        rights.redeem(contactId(ctx), grantId(ctx)).onSuccess(g -> Bodies.ok(ctx, g)).onFailure(ctx::fail));
  }

  private static long rightId(RoutingContext ctx) {
    return Bodies.id(ctx, "id", "Right");
  }

  private static long contactId(RoutingContext ctx) {
    return Bodies.id(ctx, "id", "Contact");
  }

  private static long grantId(RoutingContext ctx) {
    return Bodies.id(ctx, "grantId", "Grant");
  }
}
