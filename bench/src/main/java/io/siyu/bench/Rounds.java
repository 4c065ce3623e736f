package io.siyu.bench;

import static io.siyu.bench.Out.log;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;

/**
 * The journey and dispatch scenarios' rounds: both sides on the same fresh batch of data, Siyu
 * first in even rounds and the baseline first in odd ones (drift in load hits both alike), each
 * part after {@link Quiet} and watched by {@link OtherCpu}. When other processes took more than
 * {@value #DISTURBED} of the cores during either part, the round is run again on fresh data (at
 * most {@code attempts} attempts, 3 by default; then it is kept and noted): a benchmark that starts half way
 * through must not land on one side only.
 */
final class Rounds {
  /** Above this share of all cores used by other processes during a part, its round is run again. */
  static final double DISTURBED = 0.25;

  /** One side of a round: its time, and what the database shows about where it went. */
  record Side(double seconds, String detail, double other) {
    Side(double seconds, String detail) {
      this(seconds, detail, 0);
    }

    Side withCpu(OtherCpu.Use use) {
      return new Side(seconds, detail + String.format(Locale.ROOT, "; %s; other processes used %.0f%% of the cores",
          use.own(), use.other() * 100), use.other());
    }
  }

  record Round(int number, Side siyu, Side bare) {}

  /** One side of a round, or its untimed preparation, for a batch of fresh data. */
  interface Part<T> {
    T run(int batch) throws Exception;
  }

  interface Prepare {
    void run(int batch) throws Exception;
  }

  private final int warmup;
  private final List<String> notes;
  private final OtherCpu other;
  private final Quiet quiet;
  private final int attempts;
  /** Each attempt of a round gets the next batch number, so its contacts or journey are fresh. */
  private int batch;

  Rounds(int warmup, List<String> notes, Server server, int quietMinutes, int attempts) {
    this.warmup = warmup;
    this.notes = notes;
    this.other = new OtherCpu(server.serverPid(), server.postmasterPid());
    this.quiet = new Quiet(notes, quietMinutes);
    this.attempts = attempts;
  }

  String name(int r) {
    return r < warmup ? "warm-up " + (r + 1) : "round " + (r - warmup + 1);
  }

  boolean warm(int r) {
    return r < warmup;
  }

  Round round(Connection db, String scenario, int r, String baseline, Prepare prepare, Part<Side> siyuPart,
      Part<Side> barePart) throws Exception {
    String name = name(r);
    for (int attempt = 1; ; attempt++) {
      int b = batch++;
      prepare.run(b);
      Side siyu = null;
      Side bare = null;
      for (int part = 0; part < 2; part++) {
        boolean siyuNow = (part == 0) == (r % 2 == 0);
        quiet.await(db, scenario + " " + name + " (" + (siyuNow ? "Siyu" : baseline) + ")");
        other.begin();
        Side side = (siyuNow ? siyuPart.run(b) : barePart.run(b)).withCpu(other.end());
        if (siyuNow) {
          siyu = side;
        } else {
          bare = side;
        }
      }
      double worst = Math.max(siyu.other(), bare.other());
      if (worst <= DISTURBED) {
        return new Round(r - warmup + 1, siyu, bare);
      }
      String why = String.format(Locale.ROOT, "other processes used %.0f%% of the cores during %s %s", worst * 100, scenario, name);
      if (attempt >= attempts) {
        notes.add(why + " in all " + attempts + " attempts: the last one is reported");
        log("  %s in all %d attempts: keeping the last", why, attempts);
        return new Round(r - warmup + 1, siyu, bare);
      }
      notes.add(why + ": the round was run again");
      log("  %s: running the round again", why);
    }
  }
}
