package io.siyu.loyalty.lifecycle;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.vertx.ext.web.Router;

/** {@code POST /api/v1/loyalty/recompute}: runs the daily recompute now (admins). */
public final class RecomputeRoutes {
  private RecomputeRoutes() {}

  public static void mount(Router api, Recompute recompute) {
    api.post("/loyalty/recompute").handler(Access.ADMIN).handler(ctx ->
        recompute.run().onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
  }
}
