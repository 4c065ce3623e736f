package io.siyu.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The one PostgreSQL Siyu keeps everything in: either the server named by {@code SIYU_DB_URL},
 * or an embedded one whose files live under {@code SIYU_DATA_DIR/postgres} so data survives a
 * restart ({@link EmbeddedServer}). It hands out two doors to the same database: a reactive pool
 * for request handlers and a JDBC pool for the blocking side (migrations, COPY-based imports,
 * Camunda and Quartz); {@link #watch} looks after it while Siyu runs ({@link DatabaseMonitor}).
 */
public final class Database implements AutoCloseable {
  private final EmbeddedServer embedded;
  private final DbCoordinates coordinates;
  private final HikariDataSource jdbc;
  private volatile DatabaseMonitor monitor;

  private Database(EmbeddedServer embedded, DbCoordinates coordinates, int poolSize) {
    this.embedded = embedded;
    this.coordinates = coordinates;
    this.jdbc = jdbcPool(coordinates, poolSize);
  }

  /**
   * Where the database is: {@code url} an external server ({@code SIYU_DB_URL}), or null for the
   * embedded one with its files under {@code dataDir/postgres} on {@code embeddedPort} (0: any free
   * port); {@code poolSize} the reactive pool's size, which the JDBC pool takes half of.
   */
  public record Settings(String url, Path dataDir, int embeddedPort, int poolSize) {}

  /** Blocking: starts the embedded server when needed. Call from a worker thread or main. */
  public static Database open(Settings settings) {
    if (settings.url() != null) {
      return new Database(null, DbCoordinates.parse(settings.url()), settings.poolSize());
    }
    Path dir = settings.dataDir().resolve("postgres");
    EmbeddedServer server;
    try {
      server = EmbeddedServer.start(dir, settings.embeddedPort());
    } catch (IOException e) {
      throw new IllegalStateException("Could not start the embedded PostgreSQL under " + dir
          + ": " + e.getMessage(), e);
    }
    DbCoordinates c = new DbCoordinates("localhost", server.port(), "postgres", "postgres", "");
    return new Database(server, c, settings.poolSize());
  }

  private static HikariDataSource jdbcPool(DbCoordinates c, int poolSize) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(c.jdbcUrl());
    hc.setUsername(c.user());
    hc.setPassword(c.password());
    hc.setMaximumPoolSize(Math.max(2, poolSize / 2));
    hc.setMinimumIdle(1);
    hc.setPoolName("siyu-jdbc");
    // This pool serves the journey engine above all: thousands of small keyed statements a minute
    // (by id, by process instance), for which a generic plan is always right. Left to choose,
    // PostgreSQL re-planned most of them on every call (the statistics of the engine's churning
    // tables made custom plans look cheaper): in the welcome benchmark its most frequent query
    // spent seven times as long being planned as being run.
    hc.addDataSourceProperty("options", "-c plan_cache_mode=force_generic_plan");
    hc.setInitializationFailTimeout(-1);
    return new HikariDataSource(hc);
  }

  /** The reactive pool used by HTTP handlers; one per Vert.x instance, shared by its verticles. */
  public Pool reactivePool(Vertx vertx, int size) {
    PoolOptions po = new PoolOptions().setMaxSize(size).setShared(true).setName("siyu-pg");
    return PgBuilder.pool().with(po).connectingTo(connectOptions()).using(vertx).build();
  }

  /**
   * A small pool of its own for a hot path that runs the same few statements thousands of times a
   * minute, with values that never change their best plan: each statement is planned once per
   * connection (a generic plan). Left to choose, PostgreSQL planned the outbox dispatcher's claim
   * afresh at almost every call once the queue had grown since its first plans (a plan for known
   * values kept looking cheaper), which cost a quarter of the statement's time. Its sessions are
   * named {@code applicationName} in {@code pg_stat_activity}, so others can see who is connected.
   */
  public Pool genericPlanPool(Vertx vertx, int size, String name, Commits commits, String applicationName) {
    // an event loop of its own: left to the default, the connections ran on the event loop of
    // whoever used the pool first (the dispatcher's), whose sends then waited behind the decoding
    // of every claim's rows
    PoolOptions po = new PoolOptions().setMaxSize(size).setName(name).setEventLoopSize(1);
    PgConnectOptions options = connectOptions().addProperty("plan_cache_mode", "force_generic_plan");
    if (commits == Commits.UNFLUSHED) {
      options.addProperty("synchronous_commit", "off");
    }
    options.addProperty("application_name", applicationName);
    return PgBuilder.pool().with(po).connectingTo(options).using(vertx).build();
  }

  /** Whether a pool's commits wait for their WAL to reach the disk. */
  public enum Commits {
    /** Each commit waits until its WAL is flushed: PostgreSQL's default. */
    FLUSHED,
    /**
     * A commit returns before its WAL is flushed ({@code synchronous_commit = off}); a crash of the
     * database may lose the last fraction of a second of them, never half of one. Only for writes
     * whose loss undoes nothing that happened outside the database, or that are always followed by
     * a flushed commit that must survive with them: WAL is flushed in order, so that commit flushes
     * every earlier one too.
     */
    UNFLUSHED
  }

  private PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(coordinates.host())
        .setPort(coordinates.port())
        .setDatabase(coordinates.database())
        .setUser(coordinates.user())
        .setPassword(coordinates.password())
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256);
  }

  public DataSource jdbc() {
    return jdbc;
  }

  public DbCoordinates coordinates() {
    return coordinates;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** The embedded server, or null for an external database. */
  EmbeddedServer embedded() {
    return embedded;
  }

  /**
   * Starts watching the database (see {@link DatabaseMonitor}): {@code listener} hears when it is
   * lost and when it is back, and an embedded server that stops is restarted.
   */
  public void watch(Vertx vertx, DatabaseMonitor.Listener listener) {
    DatabaseMonitor m = new DatabaseMonitor(vertx, this::embedded, connectOptions(), listener);
    monitor = m;
    m.start();
  }

  /** Stops watching: a stop of Siyu must not restart what it is stopping. */
  public void unwatch() {
    DatabaseMonitor m = monitor;
    if (m != null) {
      m.stop();
    }
  }

  /** Whether the database can be reached now, as far as the monitor knows (true while it does not watch). */
  public boolean available() {
    DatabaseMonitor m = monitor;
    return m == null || m.available();
  }

  @Override
  public void close() {
    unwatch();
    jdbc.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  /** Where the database is, parsed once from a {@code postgresql://user:pass@host:port/db} URL. */
  public record DbCoordinates(String host, int port, String database, String user, String password) {
    public static DbCoordinates parse(String url) {
      URI uri;
      try {
        uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SIYU_DB_URL is not a valid URL");
      }
      String scheme = uri.getScheme();
      if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
        throw new IllegalArgumentException(
            "SIYU_DB_URL must look like postgresql://user:password@host:5432/database");
      }
      String user = "postgres";
      String password = "";
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = decode(parts[0]);
        password = parts.length > 1 ? decode(parts[1]) : "";
      }
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? user : uri.getPath().substring(1);
      String host = uri.getHost() == null ? "localhost" : uri.getHost();
      return new DbCoordinates(host, uri.getPort() > 0 ? uri.getPort() : 5432, db, user, password);
    }

    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
  }
}
