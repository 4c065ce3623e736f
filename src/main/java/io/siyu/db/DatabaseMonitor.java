package io.siyu.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether the database can be reached, and brings Siyu through an outage: once a second it
 * asks the database for {@code SELECT 1} on a connection of its own (two failures in a row, the
 * second on a new connection, make an outage), and it restarts an embedded PostgreSQL whose
 * postmaster has exited (it hears of that at once; bounded tries with backoff). Each change of
 * state is logged once, and its {@link Listener} hears of it, so work that would fail and log at
 * every turn can rest.
 *
 * <p>The pools need no help: connections the server closed leave them, and new ones are made
 * once it answers again (HikariCP and Vert.x's pools alike).
 */
public final class DatabaseMonitor {
  private static final Logger log = LoggerFactory.getLogger(DatabaseMonitor.class);
  static final long PROBE_MS = 1000;
  private static final long PROBE_TIMEOUT_MS = 3000;
  private static final String PROBE = "SELECT 1";
  /** Tries to restart a stopped embedded server before giving up: about a minute and a half of them. */
  static final int RESTART_ATTEMPTS = 10;
  private static final long RESTART_BACKOFF_MAX_MS = 15_000;

  /** What depends on the database's presence; called on a worker thread, one call at a time. */
  public interface Listener {
    void lost() throws Exception;

    void back() throws Exception;
  }

  private final Vertx vertx;
  private final Context context;
  /** The embedded server as it is now (null for an external database). */
  private final java.util.function.Supplier<EmbeddedServer> embedded;
  private final Listener listener;
  private final PgConnectOptions probeOptions;
  private volatile boolean available = true;

  // confined to context
  private SqlConnection probe;
  private boolean probing;
  private boolean restarting;
  private boolean resuming;
  private boolean stopped;
  private long timer = -1;
  private long downSince;
  /** The listener's calls, in order: a return is handled only after the loss before it. */
  private Future<Void> transitions = Future.succeededFuture();

  DatabaseMonitor(Vertx vertx, java.util.function.Supplier<EmbeddedServer> embedded, PgConnectOptions options,
      Listener listener) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.embedded = embedded;
    this.listener = listener;
    this.probeOptions = new PgConnectOptions(options).setCachePreparedStatements(false);
  }

  /** Whether the database answered the last probe (true until a probe says otherwise). */
  public boolean available() {
    return available;
  }

  void start() {
    context.runOnContext(v -> {
      timer = vertx.setPeriodic(PROBE_MS, id -> tick());
      watch(embedded.get());
    });
  }

  /** Hears at once when the embedded postmaster exits (Siyu's own stop unwatches first). */
  private void watch(EmbeddedServer embedded) {
    if (embedded != null) {
      long pid = embedded.pid();
      embedded.onExit(() -> context.runOnContext(v -> stopped(embedded, pid)));
    }
  }

  private void stopped(EmbeddedServer embedded, long pid) {
    if (stopped) {
      return;
    }
    lost("the embedded PostgreSQL (pid " + pid + ") has stopped");
    restarting = true;
    restartAfter(1, embedded);
  }

  void stop() {
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
      closeProbe();
    });
  }

  private void tick() {
    if (stopped || probing || restarting) {
      return;
    }
    probing = true;
    ask(false).recover(first -> ask(true)).onComplete(ar -> {
      probing = false;
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        back();
      } else {
        lost(reason(ar.cause()));
      }
    });
  }

  /** {@code SELECT 1} on the probe's connection, a new one when {@code fresh} or when there is none. */
  private Future<Void> ask(boolean fresh) {
    if (fresh) {
      closeProbe();
    }
    Future<SqlConnection> connection = probe != null ? Future.succeededFuture(probe)
        : PgConnection.connect(vertx, probeOptions).map(c -> {
          // an idle connection hears of a server that stops (FATAL 57P01) on its own; without a
          // handler the client prints it to stderr. The next probe sees the connection is gone.
          c.exceptionHandler(err -> { });
          probe = c;
          return c;
        });
    return connection.compose(c -> c.query(PROBE).execute())
        .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .onFailure(err -> closeProbe());
  }

  private void closeProbe() {
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }

  /** Restarts the embedded server: the first try after half a second, then backing off to 15 s. */
  private void restartAfter(int attempt, EmbeddedServer embedded) {
    long delay = Math.min(500L << (attempt - 1), RESTART_BACKOFF_MAX_MS);
    vertx.setTimer(delay, id -> {
      if (stopped) {
        return;
      }
      vertx.executeBlocking(() -> {
        embedded.restart();
        return null;
      }, false).onComplete(ar -> {
        if (stopped) {
          return;
        }
        if (ar.succeeded()) {
          log.info("Embedded PostgreSQL restarted (pid {})", embedded.pid());
          restarting = false;
          watch(embedded);
          tick();
        } else if (attempt >= RESTART_ATTEMPTS) {
          log.error("Could not restart the embedded PostgreSQL in {} attempts ({}): Siyu stays unavailable; "
              + "restart Siyu", attempt, ar.cause().getMessage());
        } else {
          log.warn("Restarting the embedded PostgreSQL failed (attempt {} of {}): {}", attempt, RESTART_ATTEMPTS,
              ar.cause().getMessage());
          restartAfter(attempt + 1, embedded);
        }
      });
    });
  }

  private void lost(String reason) {
    if (!available) {
      return;
    }
    available = false;
    downSince = System.nanoTime();
    log.warn("Database unavailable ({}): API calls answer 503 until it is back", reason);
    transitions = transitions.transform(x -> blocking(listener::lost, "pausing for the outage"));
  }

  private void back() {
    if (available || resuming) {
      return;
    }
    resuming = true;
    transitions = transitions.transform(x -> blocking(listener::back, "resuming after the outage"))
        .onComplete(ar -> {
          resuming = false;
          available = true;
          long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince);
          log.info("Database available again after {} s", seconds);
        });
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  private Future<Void> blocking(Call call, String what) {
    return vertx.<Void>executeBlocking(() -> {
      call.run();
      return null;
    }, false).recover(err -> {
      log.warn("Database monitor: {} failed: {}", what, err.toString());
      return Future.succeededFuture();
    });
  }

  /** The innermost message: "Connection refused", not the wrappers around it. */
  private static String reason(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
