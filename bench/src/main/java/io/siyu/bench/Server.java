package io.siyu.bench;

import static io.siyu.bench.Out.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The server under test: where it answers and how to reach its database directly. Normally one
 * the harness starts itself ({@link #start}): {@code java -Xmx512m -jar target/siyu.jar} — the
 * heap the Dockerfile and the README give it — with an embedded PostgreSQL in the temp dir, on
 * free loopback ports, stopped by {@link Cleanup}.
 *
 * @param serverPid the server's process, -1 for one the harness did not start
 * @param dataDir its data dir (the embedded database's), null for one the harness did not start
 */
record Server(String baseUrl, int httpPort, String token, String dbHostPort, String database, String dbQuery,
    String dbUser, String dbPassword, long serverPid, Path dataDir) {
  /** The documented default heap (Dockerfile, README): every benchmark must pass under it. */
  static final String HEAP = "-Xmx512m";

  /** Starts the server with {@code settings} on top of the ports, data dir and admin token every run gets. */
  static Server start(Path work, Cleanup cleanup, Map<String, String> settings) throws Exception {
    int httpPort = freePort();
    int dbPort = freePort();
    String token = "bench-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
    Path log = work.resolve("server.log");
    Path data = Files.createDirectories(work.resolve("data"));

    ProcessBuilder pb = new ProcessBuilder(javaBinary(), HEAP, "-jar", serverJar().toString());
    Map<String, String> env = pb.environment();
    // a clean slate: no database or port the caller's environment might point at
    env.keySet().removeIf(k -> k.startsWith("SIYU_"));
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("SIYU_HTTP_PORT", Integer.toString(httpPort));
    env.put("SIYU_HTTP_HOST", "127.0.0.1");
    env.put("SIYU_DATA_DIR", data.toString());
    env.put("SIYU_EMBEDDED_DB_PORT", Integer.toString(dbPort));
    env.put("SIYU_ADMIN_TOKEN", token);
    env.putAll(settings);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    log("starting the server: %s (log: %s)", String.join(" ", pb.command()), log);
    settings.forEach((k, v) -> log("  %s=%s", k, k.contains("SECRET") || k.contains("AES") ? "(random)" : v));
    Process child = pb.start();
    cleanup.child(child, log);

    String base = "http://127.0.0.1:" + httpPort;
    waitForHealth(base, child);
    return new Server(base, httpPort, token, "localhost:" + dbPort, "postgres", "", "postgres", null, child.pid(), data);
  }

  /** The running server named by SIYU_BENCH_URL, SIYU_BENCH_TOKEN and SIYU_DB_URL, or null. */
  static Server fromEnv() {
    String url = System.getenv("SIYU_BENCH_URL");
    String token = System.getenv("SIYU_BENCH_TOKEN");
    String db = System.getenv("SIYU_DB_URL");
    if (url == null && token == null) {
      return null;
    }
    if (url == null || token == null || db == null) {
      throw new BenchFailure("set all of SIYU_BENCH_URL, SIYU_BENCH_TOKEN and SIYU_DB_URL, or none of them");
    }
    return fromDbUrl(url.replaceAll("/+$", ""), token, db);
  }

  /** postgresql://user:pass@host:port/db?params, the form the server itself reads. */
  static Server fromDbUrl(String baseUrl, String token, String dbUrl) {
    URI u = URI.create(dbUrl.replaceFirst("^postgres(ql)?://", "postgresql://"));
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] parts = u.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    }
    String hostPort = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    return new Server(baseUrl, URI.create(baseUrl).getPort(), token, hostPort, u.getRawPath().replaceFirst("^/", ""),
        u.getRawQuery() != null ? "?" + u.getRawQuery() : "", user, password, -1, null);
  }

  String jdbcUrl(String db) {
    return "jdbc:postgresql://" + dbHostPort + "/" + db + dbQuery;
  }

  /** A connection to the server's own database. */
  Connection connect() throws SQLException {
    return connect(database);
  }

  /** A connection to another database of the same PostgreSQL (the bare engine's). */
  Connection connect(String db) throws SQLException {
    Properties p = new Properties();
    if (dbUser != null) {
      p.setProperty("user", dbUser);
    }
    if (dbPassword != null) {
      p.setProperty("password", dbPassword);
    }
    p.setProperty("ApplicationName", "siyu-bench");
    return DriverManager.getConnection(jdbcUrl(db), p);
  }

  /** The postmaster.pid of the embedded database, for the CPU and memory samplers. */
  Path postmasterPid() {
    return dataDir == null ? null : dataDir.resolve("postgres").resolve("postmaster.pid");
  }

  private static void waitForHealth(String base, Process child) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build();
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new BenchFailure("the server exited with code " + child.exitValue() + " before it was healthy");
      }
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          log("server healthy at %s after %.1f s", base, (System.nanoTime() - t0) / 1e9);
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new BenchFailure("GET /health did not answer 200 within 120 s");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The server jar: the one on the classpath when the harness runs from it (bench/run.sh), else
   * target/siyu.jar (mvn -Pbench exec:java), so harness and server always come from one build.
   */
  static Path serverJar() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.endsWith("siyu.jar") && Files.isRegularFile(Path.of(entry))) {
        return Path.of(entry).toAbsolutePath();
      }
    }
    Path fallback = Path.of("target", "siyu.jar");
    if (Files.isRegularFile(fallback)) {
      return fallback.toAbsolutePath();
    }
    throw new BenchFailure("no server jar: build it with mvn -Pbench package -DskipTests");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
