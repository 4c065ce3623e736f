package io.siyu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time used while a part runs, by whose processes: the server JVM, its PostgreSQL (the
 * postmaster named in postmaster.pid and its children), the harness (this JVM, with the sink
 * and the bare engine or plain client, and its children), and processes that are not this
 * run's at all. Sampled from /proc every second, so a process that lives less than a second
 * between samples is missed; a benchmark is not.
 */
final class OtherCpu {
  /** USER_HZ: the unit of /proc/<pid>/stat times on Linux. */
  private static final double TICKS_PER_SECOND = 100;
  private static final String SERVER = "server JVM";
  private static final String POSTGRES = "PostgreSQL";
  private static final String HARNESS = "harness";
  private static final String OTHER = "other";
  private final long serverPid;
  private final Path postmasterPid;
  private final Map<Long, Long> last = new HashMap<>();
  private final Map<String, Long> ticks = new HashMap<>();
  /** The server's event loop threads' ticks at begin(), by thread id. */
  private Map<String, Long> loopsAtBegin = Map.of();
  private long startNanos;
  private java.util.concurrent.ScheduledExecutorService timer;

  OtherCpu(long serverPid, Path postmasterPid) {
    this.serverPid = serverPid;
    this.postmasterPid = postmasterPid;
  }

  /** What one part used: the share of all cores other processes took, and this run's own CPU seconds by process. */
  record Use(double other, String own) {}

  synchronized void begin() {
    last.clear();
    ticks.clear();
    sample(true);
    loopsAtBegin = serverEventLoops();
    startNanos = System.nanoTime();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jbench-other-cpu");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> sample(false), 1, 1, TimeUnit.SECONDS);
  }

  /** What was used since begin(). */
  synchronized Use end() {
    timer.shutdownNow();
    sample(false);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double other = ticks.getOrDefault(OTHER, 0L) / (TICKS_PER_SECOND * seconds * Runtime.getRuntime().availableProcessors());
    String own = String.format(Locale.ROOT, "CPU over the part (checks included): %s %.1f s (event loops %s), %s %.1f s, %s %.1f s",
        SERVER, cpuSeconds(SERVER), busiestLoops(), POSTGRES, cpuSeconds(POSTGRES), HARNESS, cpuSeconds(HARNESS));
    return new Use(other, own);
  }

  /**
   * The server's event loop threads that worked during the part, busiest first ("1.5 + 1.4 +
   * 0.5 s"): shows whether the dispatcher's parts run side by side or all on one thread.
   */
  private String busiestLoops() {
    Map<String, Long> now = serverEventLoops();
    String busy = now.entrySet().stream().map(e -> e.getValue() - loopsAtBegin.getOrDefault(e.getKey(), 0L))
        .filter(t -> t >= 5).sorted(java.util.Comparator.reverseOrder())
        .map(t -> String.format(Locale.ROOT, "%.1f", t / TICKS_PER_SECOND))
        .collect(java.util.stream.Collectors.joining(" + "));
    return busy.isEmpty() ? "idle" : busy + " s";
  }

  /** User + system ticks of each of the server's Vert.x event loop threads, by thread id (empty without /proc). */
  private Map<String, Long> serverEventLoops() {
    Map<String, Long> loops = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(serverPid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          // the kernel keeps 15 characters of a thread's name
          long[] stat = Files.readString(t.resolve("comm")).startsWith("vert.x-eventloo") ? stat(t) : null;
          if (stat != null) {
            loops.put(t.getFileName().toString(), stat[1]);
          }
        } catch (IOException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux): no loops to show
    }
    return loops;
  }

  private double cpuSeconds(String whose) {
    return ticks.getOrDefault(whose, 0L) / TICKS_PER_SECOND;
  }

  /** Adds what every process used since the last sample (all it used, for one that is new) to its owner's count. */
  private synchronized void sample(boolean baseline) {
    java.util.Set<Long> mine = mine();
    long postmaster = postmaster();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long[] stat = stat(p);
        if (stat == null) {
          continue;
        }
        long pid = Long.parseLong(name);
        Long before = last.put(pid, stat[1]);
        if (!baseline) {
          ticks.merge(whose(pid, stat[0], mine, postmaster), stat[1] - (before == null ? 0 : before), Long::sum);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux): nothing is counted
    }
  }

  private String whose(long pid, long parent, java.util.Set<Long> mine, long postmaster) {
    if (pid == postmaster || parent == postmaster) {
      return POSTGRES;
    }
    if (pid == serverPid) {
      return SERVER;
    }
    return mine.contains(pid) ? HARNESS : OTHER;
  }

  private java.util.Set<Long> mine() {
    java.util.Set<Long> mine = new java.util.HashSet<>();
    mine.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(d -> mine.add(d.pid()));
    mine.add(serverPid);
    ProcessHandle.of(serverPid).ifPresent(h -> h.descendants().forEach(d -> mine.add(d.pid())));
    mine.add(postmaster());
    return mine;
  }

  private long postmaster() {
    try {
      return Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Parent pid and user + system ticks of a process (or of a thread, given its task path), or null once it is gone. */
  private static long[] stat(Path proc) {
    try {
      String s = Files.readString(proc.resolve("stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // after the name: state, ppid, ..., utime (12th) and stime (13th)
      return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
