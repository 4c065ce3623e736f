package io.siyu.loyalty.lifecycle;

import io.siyu.db.Rows;
import io.siyu.loyalty.points.PointsExpiry;
import io.siyu.loyalty.rights.RightService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The scheduled recompute: points expiry, RFM classes, lifecycle stages (time moves members into
 * dormant and churned without any event) and rights expiry — each set-based, in its own
 * transaction, each doing what changed since its last run rather than everything (see
 * {@link Rfm} and {@link LifecyclePass}). Lifecycle runs after the other two so that what they
 * write to contacts is already behind it and not read again by its next run. The scheduler runs
 * it daily; an admin can run it through the API. It answers what changed and how long each part
 * took.
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
    return points.run().map(p -> report.put("points", p).put("points_ms", millisSince(t0)))
        .compose(r -> {
          long t1 = System.nanoTime();
          return Rows.retryingRaces(() -> pool.withTransaction(Rfm::recompute))
              .map(rfm -> report.put("rfm", rfm).put("rfm_ms", millisSince(t1)));
        })
        .compose(r -> {
          long t2 = System.nanoTime();
          return Rows.retryingRaces(() -> pool.withTransaction(conn -> LifecyclePass.run(conn, lifecycle)))
              .map(pass -> report.put("lifecycle_changed", pass.getLong("changed")).put("lifecycle_pass", pass.getString("pass"))
                  .put("lifecycle_ms", millisSince(t2)));
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
