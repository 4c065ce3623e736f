package io.siyu.loyalty.points;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/contacts/{id}/points}: balance, ledger, earn and redeem (201 new, 200 replayed
 * key, 409 not enough points); {@code POST /api/v1/points/expire} runs the expiry now.
 */
public final class PointsRoutes {
  private PointsRoutes() {}

  public static void mount(Router api, PointsService points, PointsExpiry expiry) {
    api.get("/contacts/:id/points").handler(Access.READ).handler(ctx ->
        points.summary(Bodies.id(ctx, "id", "Contact")).onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
    api.get("/contacts/:id/points/ledger").handler(Access.READ).handler(ctx ->
        points.ledger(Bodies.id(ctx, "id", "Contact"), Page.of(ctx, PointsService.LEDGER_SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.post("/contacts/:id/points/earn").handler(Access.WRITE).handler(ctx -> {
      PointsRequest req = PointsRequest.parse(Bodies.object(ctx), true);
      points.earn(Bodies.id(ctx, "id", "Contact"), req, Principal.of(ctx).actor())
          .onSuccess(e -> answer(ctx, e)).onFailure(ctx::fail);
    });
    api.post("/contacts/:id/points/redeem").handler(Access.WRITE).handler(ctx -> {
      PointsRequest req = PointsRequest.parse(Bodies.object(ctx), false);
      points.redeem(Bodies.id(ctx, "id", "Contact"), req, Principal.of(ctx).actor())
          .onSuccess(e -> answer(ctx, e)).onFailure(ctx::fail);
    });
    api.post("/points/expire").handler(Access.ADMIN).handler(ctx ->
        expiry.run().onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
  }

  private static void answer(RoutingContext ctx, PointsService.Entry e) {
    Bodies.json(ctx, e.replayed() ? 200 : 201, e.entry());
  }
}
