package io.siyu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Peak memory of the server JVM and of its PostgreSQL over a whole run, from /proc every second:
 * the JVM's own high-water mark (VmHWM), and for PostgreSQL the largest sum over its processes
 * (the postmaster and every backend) of their resident sets (VmRSS, which counts the shared
 * buffers once per process that touched them) and of their proportional sets (Pss, which shares
 * them out). Reports nothing where there is no /proc or no server the harness started.
 */
final class PeakMemory {
  private final long serverPid;
  private final Path postmasterPid;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-peak-memory");
    t.setDaemon(true);
    return t;
  });
  private volatile long serverHwmKb;
  private volatile long postgresRssKb;
  private volatile long postgresPssKb;

  private PeakMemory(long serverPid, Path postmasterPid) {
    this.serverPid = serverPid;
    this.postmasterPid = postmasterPid;
  }

  static PeakMemory watch(Server server) {
    PeakMemory m = new PeakMemory(server.serverPid(), server.postmasterPid());
    if (server.serverPid() > 0) {
      m.timer.scheduleAtFixedRate(m::sample, 0, 1, TimeUnit.SECONDS);
    }
    return m;
  }

  /** "server JVM 431 MB (-Xmx512m), PostgreSQL 512 MB RSS / 260 MB PSS", the peaks so far. */
  synchronized String summary() {
    sample();
    if (serverHwmKb == 0) {
      return "not measured (no server started by the harness, or no /proc)";
    }
    return String.format(Locale.ROOT, "server JVM %,d MB (VmHWM, heap %s), PostgreSQL %,d MB (sum of its processes' VmRSS, "
        + "sampled each second; %,d MB Pss)", serverHwmKb / 1024, Server.HEAP, postgresRssKb / 1024, postgresPssKb / 1024);
  }

  private synchronized void sample() {
    serverHwmKb = Math.max(serverHwmKb, field(Path.of("/proc", Long.toString(serverPid), "status"), "VmHWM:"));
    long postmaster = postmaster();
    if (postmaster <= 0) {
      return;
    }
    List<Long> pids = ProcessHandle.of(postmaster).map(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h),
        h.descendants()).map(ProcessHandle::pid).toList()).orElse(List.of());
    long rss = 0;
    long pss = 0;
    for (long pid : pids) {
      rss += field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
      pss += field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }
    postgresRssKb = Math.max(postgresRssKb, rss);
    postgresPssKb = Math.max(postgresPssKb, pss);
  }

  private long postmaster() {
    try {
      return postmasterPid == null ? -1 : Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A "Name:   123 kB" line of a /proc file, in kB (0 when the process is gone). */
  private static long field(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone between listing and reading
    }
    return 0;
  }

  void stop() {
    timer.shutdownNow();
  }
}
