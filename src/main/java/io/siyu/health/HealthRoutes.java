package io.siyu.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.siyu.db.Database;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.function.Supplier;

/**
 * {@code GET /health} for load balancers and {@code GET /metrics} for Prometheus. Neither needs
 * a token: they say nothing about members. Health is UP only when the schema is migrated and a
 * query round-trips within two seconds right now; DOWN at once while the database monitor knows
 * the database is away.
 */
public final class HealthRoutes {
  /** The schema version the migrations left. */
  private static final String SCHEMA_VERSION = "SELECT version FROM siyu_schema_history WHERE success "
      + "ORDER BY installed_rank DESC LIMIT 1";

  private HealthRoutes() {}

  /** What health looks at, once the database is open. */
  public record Source(Database database, Pool pool) {}

  /** {@code source} answers null while Siyu is still starting. */
  public static void mount(Router root, Supplier<Source> source, PrometheusMeterRegistry registry) {
    root.get("/health").handler(ctx -> health(ctx, source.get()));
    root.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  private static void health(RoutingContext ctx, Source s) {
    if (s == null) {
      reply(ctx, 503, new JsonObject().put("status", "DOWN").put("database", "STARTING"));
      return;
    }
    if (!s.database().available()) {
      reply(ctx, 503, new JsonObject().put("status", "DOWN").put("database", "DOWN"));
      return;
    }
    s.pool().query(SCHEMA_VERSION)
        .execute()
        .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
        .onSuccess(rows -> reply(ctx, 200, new JsonObject()
            .put("status", "UP")
            .put("database", "UP")
            .put("embedded_database", s.database().isEmbedded())
            .put("schema_version", rows.iterator().next().getString("version"))))
        .onFailure(err -> reply(ctx, 503, new JsonObject().put("status", "DOWN").put("database", "DOWN")));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
