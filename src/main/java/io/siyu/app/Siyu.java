package io.siyu.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.siyu.db.Database;
import io.siyu.db.DatabaseMonitor;
import io.siyu.db.Migrations;
import io.siyu.health.HealthRoutes;
import io.siyu.problem.Problem;
import io.siyu.worker.Workers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Siyu: HTTP first (so {@code /health} can say "not yet"), then the database,
 * migrations and the feature routes. {@link #stop()} drains in-flight requests before closing
 * pools, which is what SIGTERM triggers.
 */
public final class Siyu {
  private static final Logger log = LoggerFactory.getLogger(Siyu.class);

  private final Config config;
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final AtomicReference<Services> services = new AtomicReference<>();
  /** The HTTP servers, one per event loop that serves requests ({@code SIYU_HTTP_EVENT_LOOPS}). */
  private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Database database;
  /** The background workers, once started: stopped in the reverse order before the pools close. */
  private volatile Workers workers = Workers.start(List.of());
  /** Who this Siyu is among the instances sharing the database, the same across restarts ({@link InstanceId}). */
  private volatile java.util.UUID instanceId;
  private volatile boolean stopping;
  private final AtomicInteger inFlight = new AtomicInteger();
  private static final long DRAIN_MILLIS = 30_000;

  private Siyu(Config config) {
    this.config = config;
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ClassLoaderMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.vertx = Vertx.builder()
        // no metrics of Vert.x's HTTP clients: the outbox's sends, almost all of their requests, are
        // timed per channel (Channels), and the generic ones cost a send 4 % of its CPU
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.HTTP_CLIENT)))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
  }

  /** Starts everything; the future completes once the API is ready to serve. */
  public static Future<Siyu> start(Config config) {
    Siyu siyu = new Siyu(config);
    // a promise of no context: after a failed start Vert.x is closed, and a future bound to one of
    // its event loops could never report the failure
    Promise<Siyu> result = Promise.promise();
    siyu.start().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(siyu);
      } else {
        log.error("Siyu could not start: {}", ar.cause().toString(), ar.cause());
        siyu.stop().onComplete(x -> result.fail(ar.cause()));
      }
    });
    return result.future();
  }

  /** A Siyu that is not started yet, for callers that watch it start (see {@link #start()}). */
  public static Siyu create(Config config) {
    return new Siyu(config);
  }

  /** HTTP first, then the database: {@code /health} answers 503 until the API is ready. */
  public Future<Siyu> start() {
    long began = System.nanoTime();
    return listen()
        .compose(v -> openDatabase())
        .compose(v -> wireFeatures())
        .map(generated -> {
          announce(generated, (System.nanoTime() - began) / 1_000_000);
          return this;
        });
  }

  /** What a first start made up and prints once: the bootstrap admin token and the admin person's password. */
  private record Generated(String adminToken, String adminPassword) {}

  /**
   * The last words of a start. A generated bootstrap token or admin password comes after every
   * start-up line, in a block of its own, so it is not lost among them: it is printed once, on the
   * first start of an empty database, never through the logger, and stored only as a hash.
   */
  private void announce(Generated generated, long millis) {
    log.info("Siyu started in {} ms: http://{}:{}/api/v1", millis, config.httpHost(), httpPort());
    String rule = "=".repeat(72);
    if (generated.adminToken() != null) {
      System.out.println("\n" + rule + "\n  Siyu bootstrap admin token (shown once, keep it safe):\n\n    "
          + generated.adminToken() + "\n\n  Use it as  Authorization: Bearer <token>  and create other tokens with it;\n"
          + "  or set SIYU_ADMIN_TOKEN (openssl rand -base64 32) to choose one yourself.\n" + rule + "\n");
    }
    if (generated.adminPassword() != null) {
      System.out.println("\n" + rule + "\n  Siyu admin sign-in (shown once, keep it safe):\n\n    email:     "
          + config.people().adminEmail() + "\n    password:  " + generated.adminPassword()
          + "\n\n  Sign in with it and change it (POST /api/v1/users/me/password);\n"
          + "  or set SIYU_ADMIN_PASSWORD before the first start to choose one yourself.\n" + rule + "\n");
    }
  }

  /** Every route Siyu serves hangs off this one (the contract parity test walks it). */
  private Router root;
  private Router api;
  /** Calls from outside without an API token (provider callbacks, tracked links); each checks its own caller. */
  private Router webhooks;
  private Router links;

  private Future<Void> listen() {
    root = Router.router(vertx);
    root.route().handler(this::countInFlight);
    root.route().handler(io.siyu.web.UrlGuard::handle);
    ProblemHandler.install(root);
    HealthRoutes.mount(root, () -> {
      Services s = services.get();
      return s == null ? null : new HealthRoutes.Source(s.database(), s.pool());
    }, metrics);
    io.siyu.apidocs.ApiDocsRoutes.mount(root);
    io.siyu.console.ConsoleRoutes.mount(root);
    api = Router.router(vertx);
    ProblemHandler.install(api);
    webhooks = Router.router(vertx);
    ProblemHandler.install(webhooks);
    root.route("/api/*").handler(this::whenStarted);
    root.route("/api/*").subRouter(api);
    root.route("/webhooks/*").handler(this::whenStarted);
    root.route("/webhooks/*").subRouter(webhooks);
    links = Router.router(vertx);
    ProblemHandler.install(links);
    root.route("/l/*").handler(this::whenStarted);
    root.route("/l/*").subRouter(links);
    HttpServerOptions options = new HttpServerOptions().setCompressionSupported(true).setMaxFormAttributeSize(-1);
    // one server per event loop, each a verticle instance of one deployment: they share the port
    // (also a free one picked for port 0), and Vert.x hands each new connection to the next of them,
    // so requests' work (HTTP, JSON, WeCom's AES and XML, signatures) is not all done on one core
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        HttpServer server = vertx.createHttpServer(options).invalidRequestHandler(ProblemHandler::invalidRequest);
        servers.add(server);
        return server.requestHandler(root).listen(config.httpPort(), config.httpHost());
      }
    }, new DeploymentOptions().setInstances(config.httpEventLoops()))
        .onSuccess(id -> log.info("Siyu listening on http://{}:{} ({} event loops)", config.httpHost(), httpPort(),
            config.httpEventLoops()))
        .mapEmpty();
  }

  private void whenStarted(RoutingContext ctx) {
    if (services.get() == null) {
      ctx.fail(new Problem(503, "starting", "Service unavailable", "Siyu is still starting", null));
    } else if (!database.available()) {
      // answered at once, without waiting for a connection that cannot be made
      ctx.fail(Problem.databaseUnavailable());
    } else {
      ctx.next();
    }
  }

  /** Counts requests between arrival and the end of their response, so a stop can wait for them. */
  private void countInFlight(RoutingContext ctx) {
    inFlight.incrementAndGet();
    ctx.addEndHandler(v -> inFlight.decrementAndGet());
    ctx.next();
  }

  private Future<Void> openDatabase() {
    return vertx.executeBlocking(() -> {
      if (stopping) {
        throw new IllegalStateException("stopped while starting");
      }
      instanceId = InstanceId.load(config);
      database = Database.open(config.database());
      String version = migrateWithRetry();
      log.info("Database ready ({}), schema version {}; this instance is {} (its outbox claims: claimed_by = {})",
          database.isEmbedded() ? "embedded" : "external", version, instanceId,
          io.siyu.outbox.Dispatcher.claimKey(instanceId));
      return null;
    }, false);
  }

  /** An external database may come up after Siyu does (compose, rolling restarts): keep trying. */
  private String migrateWithRetry() throws InterruptedException {
    long delay = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        return Migrations.migrate(database.jdbc());
      } catch (RuntimeException e) {
        if (database.isEmbedded() || attempt >= 30 || stopping) {
          throw e;
        }
        log.warn("Database not ready (attempt {}): {}; retrying in {} ms", attempt, e.getMessage(), delay);
        Thread.sleep(delay);
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  /** Wires every feature and starts the background work; answers the bootstrap secrets it generated, if any. */
  private Future<Generated> wireFeatures() {
    Pool pool = database.reactivePool(vertx, config.dbPoolSize());
    Services s = new Services(config, vertx, pool, database, metrics, instanceId);
    Features.mount(api, s);
    Features.mountWebhooks(webhooks, s);
    Features.mountLinks(links, s);
    return s.tokens().bootstrap(config.adminToken())
        .compose(token -> s.people().bootstrap().map(password -> new Generated(token, password)))
        // journeys are checked against the templates they send, and the template files' lines are
        // part of the start-up log the bootstrap token comes after: they are loaded first
        .compose(generated -> s.templates().ready().map(generated))
        .compose(generated -> vertx.executeBlocking(() -> {
          s.startJourneys();
          s.startSchedules();
          return generated;
        }, false))
        .map(generated -> {
          s.imports().resumeInterrupted();
          workers = Workers.start(s.workers());
          services.set(s);
          database.watch(vertx, new DatabaseMonitor.Listener() {
            @Override
            public void lost() {
              s.databaseLost();
            }

            @Override
            public void back() throws Exception {
              s.databaseBack();
            }
          });
          return generated;
        });
  }

  /** The root router: every mounted route, the feature routes once {@link #start()} has completed. */
  public Router router() {
    return root;
  }

  /** The port HTTP listens on, once {@link #start()} has got that far. */
  public int httpPort() {
    return servers.get(0).actualPort();
  }

  public Config config() {
    return config;
  }

  /** Requests received and not yet answered. */
  public int requestsInFlight() {
    return inFlight.get();
  }

  public Vertx vertx() {
    return vertx;
  }

  public Services services() {
    return services.get();
  }

  public Database database() {
    return database;
  }

  /** Graceful: stop taking requests, let in-flight ones finish (up to 30 s), then close pools. */
  public Future<Void> stop() {
    stopping = true;
    if (database != null) {
      database.unwatch(); // an outage now is the stop's own doing: nothing to restart
    }
    Promise<Void> done = Promise.promise();
    Future<Void> closed = Future.all(servers.stream().map(s -> s.shutdown(DRAIN_MILLIS, TimeUnit.MILLISECONDS)).toList())
        .mapEmpty();
    closed.recover(e -> Future.succeededFuture())
        .compose(v -> drain())
        .compose(v -> {
          Services s = services.getAndSet(null);
          if (s == null) {
            return Future.succeededFuture();
          }
          // the workers finish what they claimed, the engine its running jobs and Quartz a running job: all need the pools
          return workers.stop().compose(x -> vertx.executeBlocking(() -> {
            if (s.journeys() != null) {
              s.journeys().close();
            }
            if (s.schedules() != null) {
              s.schedules().close();
            }
            s.imports().stop();
            return null;
          })).compose(x -> s.closeOutboxPools()).compose(x -> s.pool().close()).recover(e -> Future.succeededFuture());
        })
        .compose(v -> vertx.executeBlocking(() -> {
          if (database != null) {
            database.close();
          }
          return null;
        }))
        .onComplete(ar -> closeVertx(done));
    return done.future();
  }

  /**
   * Waits until every request already in flight has been answered (at most 30 s). The server's own
   * shutdown stops new connections but does not wait for a request whose handler is still
   * working, such as an upload being recorded.
   */
  private Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    vertx.setPeriodic(50, id -> {
      if (inFlight.get() <= 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  /**
   * Closes Vert.x from a thread of its own: a close awaited from one of Vert.x's own event loops
   * would wait for a loop that is itself shutting down.
   */
  private void closeVertx(Promise<Void> done) {
    Thread closer = new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Vert.x did not close cleanly: {}", e.toString());
      }
      metrics.close();
      done.complete();
    }, "siyu-close");
    closer.start();
  }
}
