package io.siyu.schedule;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/schedules}: what runs when, each job's recorded runs, and running a job now (admin). */
public final class ScheduleRoutes {
  private ScheduleRoutes() {}

  private static final String RUNS = "SELECT id, job, scheduled_for, instance, started_at, finished_at, status, result, error "
      + "FROM schedule_runs WHERE job = $1 AND ";
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
      pool.preparedQuery(RUNS + page.after(p::add) + " " + page.orderAndLimit(p::add)).execute(p.tuple())
          .map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("job", r.getString("job"))
                .put("scheduled_for", Rows.instant(r.getOffsetDateTime("scheduled_for")))
                .put("instance", r.getString("instance"))
                .put("started_at", Rows.instant(r.getOffsetDateTime("started_at")))
                .put("finished_at", Rows.instant(r.getOffsetDateTime("finished_at")))
                .put("status", r.getString("status")).put("result", r.getJsonObject("result"))
                .put("error", r.getString("error"))));
            return page.wrap(out);
          }).onSuccess(runs -> Bodies.ok(ctx, runs)).onFailure(ctx::fail);
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
