package io.siyu.loyalty.lifecycle;

import io.siyu.db.SqlParams;
import io.siyu.loyalty.points.PointsExpiry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The scheduled recompute: lifecycle stages (time moves members into dormant and churned without
 * any event), RFM classes, and points expiry — each one set-based statement in its own
 * transaction. The scheduler (journeys issue) will run it daily; an admin can run it through the
 * API. It answers what changed and how long each part took.
 */
public final class Recompute {
  private final Pool pool;
  private final LifecycleRules lifecycle;
  private final PointsExpiry points;

  public Recompute(Pool pool, LifecycleRules lifecycle, PointsExpiry points) {
    this.pool = pool;
    this.lifecycle = lifecycle;
    this.points = points;
  }

  public Future<JsonObject> run() {
    JsonObject report = new JsonObject();
    long t0 = System.nanoTime();
    return pool.withTransaction(conn -> lifecycle.recompute(conn, "true", new SqlParams()))
        .compose(changed -> {
          report.put("lifecycle_changed", changed).put("lifecycle_ms", millisSince(t0));
          long t1 = System.nanoTime();
          return pool.withTransaction(Rfm::recompute).map(rfm -> report.put("rfm", rfm).put("rfm_ms", millisSince(t1)));
        })
        .compose(r -> {
          long t2 = System.nanoTime();
          return points.run().map(p -> report.put("points", p).put("points_ms", millisSince(t2)));
        });
  }

  private static long millisSince(long t) {
    return (System.nanoTime() - t) / 1_000_000;
  }
}
