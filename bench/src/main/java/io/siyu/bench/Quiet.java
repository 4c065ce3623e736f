package io.siyu.bench;

import static io.siyu.bench.Out.log;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;

/**
 * Waits before a timed part until the shared machine is quiet: autovacuum done, no other
 * SiyuBench running (the 1M import or recompute of another engineer), and the cores less than
 * {@value #BUSY} busy over 2 s while both sides idle (servers run by hand and builds count too).
 * Polls every 30 s, at most {@code maxMinutes}; then goes on and notes it.
 */
final class Quiet {
  /** Above this share of all cores busy while both sides idle, something else is using the machine. */
  static final double BUSY = 0.4;

  private final List<String> notes;
  private final int maxMinutes;

  Quiet(List<String> notes, int maxMinutes) {
    this.notes = notes;
    this.maxMinutes = maxMinutes;
  }

  void await(Connection db, String part) throws Exception {
    long t0 = System.nanoTime();
    boolean waited = false;
    while (true) {
      Sql.awaitAutovacuum(db);
      boolean bench = Machine.otherBenchRunning();
      double busy = Machine.cpuBusy();
      if (!bench && busy <= BUSY) {
        break;
      }
      String why = bench ? "another benchmark (SiyuBench) is running" : String.format(Locale.ROOT,
          "the cores are %.0f%% busy with both sides idle (load average %s)", busy * 100, Machine.loadAverage());
      if ((System.nanoTime() - t0) / 6e10 >= maxMinutes) {
        notes.add(String.format(Locale.ROOT, "%s after %d minutes of waiting: %s was measured anyway", why, maxMinutes, part));
        log("  %s after %d minutes: measuring %s anyway", why, maxMinutes, part);
        return;
      }
      if (!waited) {
        log("  %s: waiting before %s (every 30 s, at most %d minutes)", why, part, maxMinutes);
      }
      waited = true;
      Thread.sleep(30_000);
    }
    if (waited) {
      notes.add(String.format(Locale.ROOT, "waited %.0f s for the machine to be quiet (no SiyuBench, cores idle) before %s",
          (System.nanoTime() - t0) / 1e9, part));
    }
    log("  %s: load average %s", part, Machine.loadAverage());
  }
}
