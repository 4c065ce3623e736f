package io.siyu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared machine, as /proc shows it: how busy the cores are, and whether another benchmark runs. */
final class Machine {
  private Machine() {}

  /** The share of all cores busy over two seconds, from /proc/stat (0 where there is none). */
  static double cpuBusy() throws InterruptedException {
    long[] a = cpuTimes();
    Thread.sleep(2000);
    long[] b = cpuTimes();
    long total = b[0] - a[0];
    return a[0] == 0 || total <= 0 ? 0 : (double) (b[1] - a[1]) / total;
  }

  /** Total and busy (not idle, not iowait) jiffies of all cores. */
  static long[] cpuTimes() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total, total - idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Whether another engineer's SiyuBench (the contacts program: the 1M import or recompute) runs. */
  static boolean otherBenchRunning() {
    long me = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses().filter(h -> h.pid() != me)
        .anyMatch(h -> h.info().commandLine().map(c -> c.contains("SiyuBench") && !c.contains("pgrep")).orElse(false));
  }
}
