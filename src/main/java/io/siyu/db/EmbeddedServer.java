package io.siyu.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 (zonky) under {@code SIYU_DATA_DIR/postgres}, made safe to start after a
 * crash and kept alive while Siyu runs.
 *
 * <p>A postmaster runs in a session of its own, so a Siyu killed with SIGKILL leaves it running
 * (an orphan), and its lock file {@code postmaster.pid} makes the next start fail. Three things
 * cover that: a {@link Watchdog} stops the postmaster when the Siyu that started it dies (it waits
 * on a pipe only that Siyu holds open); should the watchdog have died too, the next start finds
 * the orphan — the lock file names a live {@code postgres -D <this directory>} while no running
 * Siyu holds the directory — and stops it before starting; and a lock file naming a live process
 * that is no postgres of this directory (pids are reused after a reboot or in a container) is
 * removed as stale. A live Siyu on the same directory holds zonky's lock file, {@code epg-lock}: a
 * second one refuses to start rather than stop its database.
 *
 * <p>{@link #restart} brings a postmaster that died back with {@code pg_ctl restart}, on the same
 * port and with the same options (PostgreSQL keeps them in {@code postmaster.opts}).
 */
final class EmbeddedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
  /** zonky's lock on the data directory, held by the running Siyu while its server runs. */
  private static final String DIRECTORY_LOCK = "epg-lock";
  /** How long a postmaster gets for a fast shutdown (or a start) before Siyu gives up on it. */
  private static final long STOP_WAIT_SECONDS = 60;

  private final Path dir;
  private final EmbeddedPostgres zonky;
  private final Watchdog watchdog;
  private volatile PostmasterPid postmaster;
  private volatile boolean closing;

  private EmbeddedServer(Path dir, EmbeddedPostgres zonky, Watchdog watchdog, PostmasterPid postmaster) {
    this.dir = dir;
    this.zonky = zonky;
    this.watchdog = watchdog;
    this.postmaster = postmaster;
  }

  /** Blocking: clears what a killed Siyu left behind, starts the server and checks it is this one. */
  static EmbeddedServer start(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    clearLeftovers(dir);
    log.info("Starting embedded PostgreSQL with data under {}", dir);
    EmbeddedPostgres zonky = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        // keep the data between runs: this is the user's database, not a scratch copy
        .setCleanDataDirectory(false)
        .setPort(port)
        // the library's defaults are tuned for throwaway test databases; Siyu's
        // promise that nothing acknowledged is lost needs durable commits
        .setServerConfig("synchronous_commit", "on")
        // the library starts the server with -F (no fsync); a later -c fsync=on wins over it
        .setServerConfig("fsync", "on")
        .setServerConfig("timezone", "UTC")
        .setServerConfig("max_connections", "200")
        // bulk imports write a lot of WAL; fewer forced checkpoints keep them steady
        .setServerConfig("max_wal_size", "4GB")
        // look for tables to vacuum every 10 s, not every minute: the outbox and the engine's
        // runtime tables churn (their thresholds are set in V15)
        .setServerConfig("autovacuum_naptime", "10s")
        .setPGStartupWait(Duration.ofSeconds(STOP_WAIT_SECONDS))
        // Siyu stops it itself, after draining requests; the library's own JVM hook would race that
        .setRegisterShutdownHook(false)
        .start();
    try {
      checkItServes(zonky, dir);
      PostmasterPid postmaster = PostmasterPid.read(dir)
          .orElseThrow(() -> new IOException("the embedded PostgreSQL started without a " + PostmasterPid.FILE));
      Watchdog watchdog = Watchdog.start();
      watchdog.guard(postmaster.pid());
      return new EmbeddedServer(dir, zonky, watchdog, postmaster);
    } catch (IOException | RuntimeException e) {
      zonky.close();
      throw e;
    }
  }

  int port() {
    return zonky.getPort();
  }

  /**
   * Runs {@code action} (on a thread of the JDK's) when the postmaster running now exits, at once if
   * it has already; after a {@link #restart}, ask again for the new one.
   */
  void onExit(Runnable action) {
    postmaster.process().ifPresentOrElse(p -> p.onExit().thenRun(action), action);
  }

  long pid() {
    return postmaster.pid();
  }

  /**
   * Blocking: starts the server again after its postmaster died, on the same port with the same
   * options. Fails while processes of the dead server still hold its shared memory (they notice
   * the postmaster's death and exit within moments): the caller tries again.
   */
  void restart() throws IOException, InterruptedException {
    if (closing) {
      throw new IOException("the embedded PostgreSQL is being stopped");
    }
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U")); // as zonky starts it when Siyu runs as root
    }
    command.add(executable().resolveSibling("pg_ctl").toString());
    command.addAll(List.of("restart", "-D", dir.toString(), "-m", "fast", "-w",
        "-t", String.valueOf(STOP_WAIT_SECONDS)));
    Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true).start();
    // the restarted server writes its log to pg_ctl's output for as long as it runs
    logOutput(pgCtl);
    if (!pgCtl.waitFor(STOP_WAIT_SECONDS + 30, TimeUnit.SECONDS)) {
      pgCtl.destroy();
      throw new IOException("pg_ctl restart did not finish");
    }
    if (pgCtl.exitValue() != 0) {
      throw new IOException("pg_ctl restart failed with exit code " + pgCtl.exitValue());
    }
    postmaster = PostmasterPid.read(dir)
        .orElseThrow(() -> new IOException("no " + PostmasterPid.FILE + " after the restart"));
    watchdog.guard(postmaster.pid());
  }

  /** The {@code postgres} executable the server was started with: the first word of postmaster.opts. */
  private Path executable() throws IOException {
    String opts = Files.readString(dir.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
    int firstOption = opts.indexOf(" \"");
    return Path.of(firstOption < 0 ? opts : opts.substring(0, firstOption));
  }

  private static void logOutput(Process process) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> log.info("postgres: {}", line));
      } catch (IOException | java.io.UncheckedIOException e) {
        // the server has gone; nothing more to read
      }
    }, "postgres-output");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    closing = true;
    try {
      zonky.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
    watchdog.release();
  }

  /**
   * Makes sure no running Siyu uses {@code dir}, then stops the postmaster a killed one left there
   * (or removes its stale lock file). Holding the directory's lock meanwhile keeps a second Siyu,
   * starting at the same moment, from doing the same.
   */
  private static void clearLeftovers(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("postgresql.conf"))) {
      return; // no database yet (initdb needs the directory empty): nothing can be running on it
    }
    try (FileChannel channel = FileChannel.open(dir.resolve(DIRECTORY_LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new IllegalStateException("Another Siyu is running with its embedded PostgreSQL under " + dir
            + ": give each Siyu its own SIYU_DATA_DIR");
      }
      try {
        stopLeftover(dir);
      } finally {
        lock.release();
      }
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // a Siyu in this JVM holds it
    }
  }

  private static void stopLeftover(Path dir) throws IOException {
    PostmasterPid file = PostmasterPid.read(dir).orElse(null);
    ProcessHandle process = file == null ? null : file.process().orElse(null);
    if (process == null) {
      return; // no postmaster, or a dead one: PostgreSQL replaces a stale lock file itself
    }
    Boolean ours = PostmasterPid.isPostmasterOf(process, dir).orElse(null);
    if (ours == null) {
      return; // the system does not say what runs there: PostgreSQL itself refuses to start beside a live postmaster
    }
    if (!ours) {
      log.warn("{} names process {}, which is no PostgreSQL of this directory: removing it as stale",
          dir.resolve(PostmasterPid.FILE), file.pid());
      Files.deleteIfExists(dir.resolve(PostmasterPid.FILE));
      return;
    }
    log.warn("The embedded PostgreSQL of an earlier run is still running (pid {}, port {}): stopping it first",
        file.pid(), file.port());
    long started = System.nanoTime();
    stop(process);
    log.info("Stopped the earlier embedded PostgreSQL in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * A fast shutdown (SIGINT: open transactions roll back, a checkpoint, exit), as pg_ctl stop sends
   * it; a postmaster that does not finish in time is killed, and its server processes are waited for
   * so that none holds the shared memory the next start needs.
   */
  private static void stop(ProcessHandle postmaster) throws IOException {
    List<ProcessHandle> servers = postmaster.descendants().toList();
    signal(postmaster.pid(), "INT");
    if (!exited(postmaster, STOP_WAIT_SECONDS)) {
      log.warn("PostgreSQL (pid {}) did not shut down within {} s: killing it", postmaster.pid(), STOP_WAIT_SECONDS);
      postmaster.destroyForcibly();
      servers.forEach(ProcessHandle::destroyForcibly);
      if (!exited(postmaster, 10)) {
        throw new IOException("could not stop PostgreSQL (pid " + postmaster.pid() + ")");
      }
    }
    for (ProcessHandle server : servers) {
      exited(server, 10);
    }
  }

  /** Sends a signal Java has no method for; {@code kill} is a builtin of every POSIX shell. */
  private static void signal(long pid, String signal) throws IOException {
    try {
      new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + pid).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    }
  }

  private static boolean exited(ProcessHandle process, long seconds) {
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /**
   * zonky reports a start as done once something answers on the port: with a fixed port already
   * served by another PostgreSQL, that would be the other one. Siyu asks the server where its data is.
   */
  private static void checkItServes(EmbeddedPostgres zonky, Path dir) throws IOException {
    try (Connection c = zonky.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW data_directory")) {
      rs.next();
      Path served = Path.of(rs.getString(1));
      if (!PostmasterPid.sameDirectory(served, dir)) {
        throw new IllegalStateException("Port " + zonky.getPort() + " is served by another PostgreSQL (data under "
            + served + "), not the embedded one: choose another SIYU_EMBEDDED_DB_PORT");
      }
    } catch (SQLException e) {
      throw new IOException("the embedded PostgreSQL does not answer: " + e.getMessage(), e);
    }
  }
}
