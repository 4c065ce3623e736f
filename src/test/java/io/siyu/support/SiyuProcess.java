package io.siyu.support;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Siyu as a process of its own ({@code java io.siyu.app.Main} on the tests' class path), for what
 * only a real process shows: a SIGKILL, what it leaves behind, and everything it logs. Its output
 * goes to a file; {@link #close} stops it with SIGTERM.
 */
public final class SiyuProcess implements AutoCloseable {
  private static final Vertx VERTX = Vertx.vertx();

  private final Process process;
  private final int port;
  private final Path log;

  private SiyuProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Siyu on {@code dataDir} with its embedded database, a free HTTP port and the tests' admin
   * token; {@code env} adds or overrides SIYU_* settings. Does not wait for it: see {@link #awaitUp}.
   */
  public static SiyuProcess start(Path dataDir, Map<String, String> env) throws IOException {
    int port = Ports.free();
    Path log = Files.createTempFile("siyu-process", ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.siyu.app.Main");
    Map<String, String> settings = new HashMap<>();
    settings.put("SIYU_DATA_DIR", dataDir.toString());
    settings.put("SIYU_HTTP_PORT", String.valueOf(port));
    settings.put("SIYU_HTTP_HOST", "127.0.0.1");
    settings.put("SIYU_ADMIN_TOKEN", TestSiyu.ADMIN_TOKEN);
    settings.put("SIYU_SCHEDULER_NAME", "siyu-process-" + port);
    settings.putAll(env);
    // the embedded database, whatever the suite uses
    builder.environment().keySet().removeIf(k -> k.startsWith("SIYU_"));
    builder.environment().putAll(settings);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new SiyuProcess(builder.start(), port, log);
  }

  /** Waits until {@code /health} says UP; fails with the end of the log if it does not within {@code max}. */
  public void awaitUp(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Api anonymous = api("");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Siyu exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (anonymous.get("/health").status() == 200) {
          return;
        }
      } catch (IllegalStateException notListening) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Siyu was not up within " + max + ":\n" + tail());
  }

  /** A client with the tests' admin token. */
  public Api admin() {
    return api(TestSiyu.ADMIN_TOKEN);
  }

  public Api api(String token) {
    return new Api(VERTX, port, token);
  }

  public long pid() {
    return process.pid();
  }

  /** The embedded database's watchdog: the shell this process started, waiting to signal the postmaster. */
  public Optional<ProcessHandle> watchdog() {
    return process.children().filter(p -> p.info().commandLine().map(c -> c.contains("kill -s INT")).orElse(false))
        .findFirst();
  }

  /** SIGKILL: no shutdown hook runs, nothing is stopped cleanly. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Everything the process has logged so far. */
  public List<String> log() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  public String tail() {
    try {
      List<String> lines = log();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** The postmaster named by the lock file of the embedded database under {@code dataDir}, if it runs. */
  public static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())).filter(ProcessHandle::isAlive);
  }
}
