package io.siyu.schedule;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/schedules}: what runs when, each job's recorded runs, and running a job now (admin). */
public final class ScheduleRoutes {
  private ScheduleRoutes() {}

  /** A job's runs, the latest first. */
  static final Sorts RUN_SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  public static void mount(Router api, Vertx vertx, Pool pool, java.util.function.Supplier<Schedules> schedules) {
    // Quartz answers from its JDBC store: ask on a worker thread
    api.get("/schedules").handler(Access.READ).handler(ctx ->
        vertx.executeBlocking(() -> schedules.get().list())
            .onSuccess(list -> Bodies.ok(ctx, new JsonObject().put("items", list))).onFailure(ctx::fail));
    api.get("/schedules/:name/runs").handler(Access.READ).handler(ctx -> {
      Page page = Page.of(ctx, RUN_SORTS);
      SqlParams p = SqlParams.startingWith(ctx.pathParam("name"));
      pool.preparedQuery(ScheduleRuns.RUNS_OF_JOB + page.after(p::add) + " " + page.orderAndLimit(p::add)).execute(p.tuple())
          .map(rows -> page.wrap(Rows.array(rows, RowJson::of))).onSuccess(runs -> Bodies.ok(ctx, runs)).onFailure(ctx::fail);
    });
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
