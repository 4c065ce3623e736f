package io.siyu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops what the harness started and removes the temp dir, from a shutdown hook so it happens on
 * failure and on Ctrl-C too. On failure the server log is moved out of the temp dir first, and
 * its last lines are printed.
 */
final class Cleanup {
  private final Path work;
  private final boolean keep;
  private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
  private volatile Process child;
  private volatile Path serverLog;
  private volatile boolean failed;
  /** Set once the shutdown hook runs, so a failure it causes is reported as an interruption. */
  static volatile boolean stopping;

  Cleanup(Path work, boolean keep) {
    this.work = work;
    this.keep = keep;
  }

  void child(Process p, Path log) {
    child = p;
    serverLog = log;
  }

  /** Runs before the server is stopped (the sink, the bare engine, a Vert.x instance). */
  void onStop(Runnable r) {
    onStop.add(r);
  }

  void failed() {
    failed = true;
  }

  void run() {
    stopping = true;
    for (Runnable r : onStop) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // stopping anyway
      }
    }
    stopChild();
    if (keep) {
      System.err.println("kept " + work);
      return;
    }
    if (failed && serverLog != null && Files.exists(serverLog)) {
      saveLog();
    }
    deleteTree(work);
  }

  /**
   * SIGTERM lets the server stop its embedded PostgreSQL itself. Its descendants are listed
   * first: once the server is gone they are re-parented and could no longer be found.
   */
  private void stopChild() {
    Process p = child;
    if (p == null || !p.isAlive()) {
      return;
    }
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle d : descendants) {
      if (d.isAlive()) {
        d.destroyForcibly();
      }
    }
  }

  private void saveLog() {
    try {
      Path saved = Files.createTempFile("siyu-bench-server-", ".log");
      Files.move(serverLog, saved, StandardCopyOption.REPLACE_EXISTING);
      // lenient decoding: a log cut off mid-character must not hide the log
      List<String> lines = Arrays.asList(new String(Files.readAllBytes(saved), StandardCharsets.UTF_8).split("\n"));
      System.err.println("last lines of the server log:");
      lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> System.err.println("  | " + l));
      System.err.println("server log: " + saved);
    } catch (IOException e) {
      System.err.println("could not keep the server log " + serverLog + ": " + e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + root + ": " + e);
    }
  }
}
