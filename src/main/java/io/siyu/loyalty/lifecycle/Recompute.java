package io.siyu.loyalty.lifecycle;

import io.siyu.db.SqlParams;
import io.siyu.loyalty.points.PointsExpiry;
import io.siyu.loyalty.rights.RightService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The scheduled recompute: lifecycle stages (time moves members into dormant and churned without
 * any event), RFM classes, points expiry and rights expiry — each set-based, in its own
 * transaction. The scheduler (journeys issue) will run it daily; an admin can run it through the
 * API. It answers what changed and how long each part took.
 */
public final class Recompute {
  private final Pool pool;
  private final LifecycleRules lifecycle;
  private final PointsExpiry points;
  private final RightService rights;

  public Recompute(Pool pool, LifecycleRules lifecycle, PointsExpiry points, RightService rights) {
    this.pool = pool;
    this.lifecycle = lifecycle;
    this.points = points;
    this.rights = rights;
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
        })
        .compose(r -> {
          long t3 = System.nanoTime();
          return rights.expire().map(n -> report.put("rights_expired", n).put("rights_ms", millisSince(t3)));
        });
  }

  private static long millisSince(long t) {
    return (System.nanoTime() - t) / 1_000_000;
  }
}
