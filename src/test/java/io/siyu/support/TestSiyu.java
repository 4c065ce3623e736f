package io.siyu.support;

import io.siyu.app.Config;
import io.siyu.app.Siyu;
import io.siyu.db.Database.DbCoordinates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Siyu every test talks to, started once per test run (JVM) on a real PostgreSQL: the
 * embedded one by default, or — when {@code SIYU_DB_URL} is set — a fresh database created on
 * that server for this run and dropped at the end.
 */
public final class TestSiyu {
  public static final String ADMIN_TOKEN = io.siyu.auth.TokenService.newSecret();
  /** The bootstrap admin person of every test server (SIYU_ADMIN_EMAIL is left at its default). */
  public static final String ADMIN_EMAIL = "admin@localhost";
  public static final String ADMIN_PASSWORD = "test admin " + UUID.randomUUID();
  private static Siyu instance;
  /** Databases this run created on an external server, dropped at the end. */
  private static final java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static Api admin;
  /** Long enough for migrations and the engine on a busy machine; a start or stop that hangs fails. */
  private static final Duration START_TIME = Duration.ofMinutes(5);

  private TestSiyu() {}

  public static synchronized Siyu get() {
    if (instance == null) {
      try {
        instance = start(freshConfig(Map.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(TestSiyu::shutdown));
      } catch (Exception e) {
        throw new IllegalStateException("Could not start Siyu for the tests", e);
      }
    }
    return instance;
  }

  /** An HTTP client holding the bootstrap admin token. */
  public static synchronized Api admin() {
    if (admin == null) {
      admin = new Api(get().vertx(), get().httpPort(), ADMIN_TOKEN);
    }
    return admin;
  }

  /** A client for the shared server with another token (or none). */
  private static final Map<String, Api> BY_ROLE = new java.util.concurrent.ConcurrentHashMap<>();

  /** A client with a fresh token of {@code role} (admin, operator, manager, integration), one per role. */
  public static Api withRole(String role) {
    return BY_ROLE.computeIfAbsent(role, r -> {
      var reply = admin().post("/api/v1/tokens", new io.vertx.core.json.JsonObject().put("name", "test-" + r).put("role", r));
      if (reply.status() != 201) {
        throw new IllegalStateException(reply.toString());
      }
      return as(reply.json().getString("token"));
    });
  }

  /** Where the shared server answers, for a browser: {@code http://127.0.0.1:<port>}. */
  public static String baseUrl() {
    return "http://127.0.0.1:" + get().httpPort();
  }

  /** A client without a token. */
  public static Api anonymous() {
    return as("");
  }

  public static Api as(String token) {
    return as(get(), token);
  }

  /** A client of {@code siyu}, a server of a test's own, with {@code token} (null: no Authorization header). */
  public static Api as(Siyu siyu, String token) {
    return new Api(siyu.vertx(), siyu.httpPort(), token);
  }

  /** A client of {@code siyu} with the tests' admin token. */
  public static Api admin(Siyu siyu) {
    return as(siyu, ADMIN_TOKEN);
  }

  /** Starts a Siyu of a test's own and waits until it serves; the caller {@link #stop}s it. */
  public static Siyu start(Config config) {
    return Await.result(Siyu.start(config), START_TIME);
  }

  /** Starts a Siyu without waiting for it, for a start that cannot finish (a database that is not there). */
  public static Siyu startInBackground(Config config) {
    Siyu siyu = Siyu.create(config);
    siyu.start();
    return siyu;
  }

  /** Stops a Siyu of a test's own and waits until it has stopped. */
  public static void stop(Siyu siyu) {
    Await.result(siyu.stop(), START_TIME);
  }

  /** A config on a free port and a new temp data dir; {@code overrides} are env-style keys. */
  public static Config freshConfig(Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SIYU_HTTP_PORT", "0");
    env.put("SIYU_HTTP_HOST", "127.0.0.1");
    env.put("SIYU_DATA_DIR", Files.createTempDirectory("siyu-test").toString());
    env.put("SIYU_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("SIYU_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SIYU_DB_POOL_SIZE", "8");
    env.put("SIYU_JOB_ACQUISITION_MAX_WAIT_MS", "200");
    env.put("SIYU_JOURNEY_INBOX_POLL_MS", "100");
    // tests run at any hour and send several touches to one contact: the sending policy's tests turn these on
    env.put("SIYU_QUIET_HOURS", "none");
    env.put("SIYU_FREQUENCY_CAP", "none");
    // Quartz keeps one scheduler per name in a JVM; each test server needs its own
    env.put("SIYU_SCHEDULER_NAME", "siyu-test-" + UUID.randomUUID());
    String external = System.getenv("SIYU_DB_URL");
    if (external != null && !external.isBlank() && !overrides.containsKey("SIYU_DB_URL")) {
      env.put("SIYU_DB_URL", createDatabase(external));
    }
    env.putAll(overrides);
    return Config.fromMap(env);
  }

  private static String createDatabase(String serverUrl) throws Exception {
    DbCoordinates c = DbCoordinates.parse(serverUrl);
    String name = "siyu_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection conn = DriverManager.getConnection(c.jdbcUrl(), c.user(), c.password());
        Statement st = conn.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    created.add(name);
    String auth = c.password().isEmpty() ? c.user() : c.user() + ":" + c.password();
    return "postgresql://" + auth + "@" + c.host() + ":" + c.port() + "/" + name;
  }

  private static void shutdown() {
    if (instance != null) {
      try {
        stop(instance);
      } catch (RuntimeException ignored) {
        // the JVM is exiting
      }
    }
    dropCreatedDatabases();
  }

  private static void dropCreatedDatabases() {
    if (created.isEmpty()) {
      return;
    }
    DbCoordinates c = DbCoordinates.parse(System.getenv("SIYU_DB_URL"));
    try (Connection conn = DriverManager.getConnection(c.jdbcUrl(), c.user(), c.password());
        Statement st = conn.createStatement()) {
      for (String name : created) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (Exception e) {
      System.err.println("Could not drop test databases " + created + ": " + e.getMessage());
    }
  }

  /** SIYU_JOURNEYS_DIR naming an empty folder: a server without the shipped journeys. */
  public static Map<String, String> noJourneys() {
    try {
      return Map.of("SIYU_JOURNEYS_DIR", Files.createTempDirectory("no-journeys").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path tempFile(String suffix) throws Exception {
    return Files.createTempFile("siyu-test", suffix);
  }
}
