package io.siyu.schedule;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/schedules}: what runs when, and running a job now (admin). */
public final class ScheduleRoutes {
  private ScheduleRoutes() {}

  public static void mount(Router api, Vertx vertx, java.util.function.Supplier<Schedules> schedules) {
    // Quartz answers from its JDBC store: ask on a worker thread
    api.get("/schedules").handler(Access.READ).handler(ctx ->
        vertx.executeBlocking(() -> schedules.get().list())
            .onSuccess(list -> Bodies.ok(ctx, new JsonObject().put("items", list))).onFailure(ctx::fail));
    api.post("/schedules/:name/run").handler(Access.ADMIN).handler(ctx -> {
      String name = ctx.pathParam("name");
      vertx.executeBlocking(() -> {
        schedules.get().runNow(name);
        return null;
      }).onSuccess(v -> Bodies.json(ctx, 202, new JsonObject().put("name", name).put("status", "triggered")))
          .onFailure(ctx::fail);
    });
  }
}
