package io.siyu.bench;

import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Stats.median;
import static io.siyu.bench.Stats.p90;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contacts benchmarks: the import ({@link ImportScenario}), segment counts
 * ({@link SegmentScenario}) and the loyalty recompute ({@link RecomputeScenario}).
 *
 * <pre>bench/run.sh SiyuBench [import|segment|all|recompute] [--rows N] ...</pre>
 *
 * Every number it reports is a ratio of two things measured side by side in the same run on the
 * same database, because the machine is shared and noisy: absolute times from different runs are
 * not comparable, ratios taken under the same conditions are. See bench/README.md.
 */
public final class SiyuBench {
  public static void main(String[] args) {
    Options opts = Program.options(args, Options::parse, Options.USAGE, o -> o.help);
    if (opts != null) {
      Program.run("bench", opts.keep, new SiyuBench(opts)::measure);
    }
  }

  private final Options opts;
  private final Report report = new Report();

  SiyuBench(Options opts) {
    this.opts = opts;
  }

  /**
   * Settings for the server the harness starts. The recompute scenario starts it without journeys
   * (an empty journeys directory): the shipped dormant journey enters every contact whose
   * lifecycle.changed event says dormant, and after the backfill's million stage changes the
   * engine would work through its inbox for the rest of the run, on the same two cores as the
   * measurements. The inbox trigger still fires on every event the recompute writes.
   */
  private Map<String, String> serverEnv(Path work) throws IOException {
    if (!opts.scenario.equals("recompute")) {
      return Map.of();
    }
    return Map.of("SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("no-journeys")).toString());
  }

  private String measure(Path work, Cleanup cleanup) throws Exception {
    Server server = Server.fromEnv();
    if (server == null) {
      server = Server.start(work, cleanup, serverEnv(work));
    } else {
      log("using the running server at %s (SIYU_BENCH_URL) and its database (SIYU_DB_URL)", server.baseUrl());
    }
    PeakMemory memory = PeakMemory.watch(server);
    Api api = new Api(server);
    try (Connection db = server.connect()) {
      report.database = scalar(db, "SELECT version()");
      report.rows = opts.rows;
      if (opts.scenario.equals("recompute")) {
        // its own data, loaded in SQL: ten million events through the API would be a different benchmark
        new RecomputeScenario(opts, report, api, db).run();
      } else {
        Path csv = work.resolve("contacts.csv");
        ContactsCsv.generate(csv, opts.rows, opts.seed);
        // the segment scenario needs the imported contacts, so every scenario starts with the import
        new ImportScenario(opts, report, api, db).run(csv);
        if (!opts.scenario.equals("import")) {
          new SegmentScenario(opts, report, api, db).run();
        }
      }
    }
    report.memory = memory.summary();
    return report.markdown(opts);
  }

  static final class Options {
    static final String USAGE = """
        usage: bench/run.sh SiyuBench [import|segment|all|recompute] [options]

        Scenarios (default: all)
          import    import N synthetic contacts through POST /api/v1/imports, then COPY the same
                    file into a plain table on the same database; reports rows/s and the ratio
          segment   count tag AND attribute range AND lifecycle through POST /api/v1/segments/preview
                    vs the hand-written SQL, interleaved; runs the import first to have the data
          all       both, sharing one import
          recompute load N contacts and M events in SQL (untimed), then time
                    POST /api/v1/loyalty/recompute (lifecycle, RFM, points expiry): once as the
                    backfill of the loaded data (reference), then 3 times after ageing the data
                    by a day (the scheduled daily run: the goal is the median of these), each
                    against a full scan of events taken just before it; not part of `all`

        Options
          --rows N        contacts to generate and import (default 1000000)
          --events M      recompute: events to load (default 10 x N)
          --rounds R      timed segment rounds per side (default 15)
          --warmup W      untimed segment rounds per side first (default 3)
          --copy-runs K   how often to repeat the COPY baseline; the median is used (default 3)
          --seed S        seed of the import's synthetic data (default 20261123; the
                          recompute's data is fixed by hashtext)
          --keep          keep the temp dir (data file, server log, embedded database)
          -h, --help      this text

        Server
          By default the harness starts `java -jar <the siyu jar on the classpath>` itself with an
          embedded PostgreSQL in a fresh temp dir, on free loopback ports, and stops it at the end.
          To use a running server instead set all of
            SIYU_BENCH_URL    e.g. http://127.0.0.1:8080
            SIYU_BENCH_TOKEN  an admin API token
            SIYU_DB_URL       postgresql://user:pass@host:port/db  (the server's database; use an empty one)
        """;

    String scenario = "all";
    int rows = 1_000_000;
    int rounds = 15;
    int warmup = 3;
    int copyRuns = 3;
    long events; // 0: ten per contact
    long seed = 20261123L;
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "import", "segment", "all", "recompute" -> o.scenario = a;
          case "--rows" -> o.rows = Args.positive(a, Args.value(args, ++i, a));
          case "--rounds" -> o.rounds = Args.positive(a, Args.value(args, ++i, a));
          case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(Args.value(args, ++i, a)));
          case "--events" -> o.events = Args.positive(a, Args.value(args, ++i, a));
          case "--copy-runs" -> o.copyRuns = Args.positive(a, Args.value(args, ++i, a));
          case "--seed" -> o.seed = Long.parseLong(Args.value(args, ++i, a));
          case "--keep" -> o.keep = true;
          case "-h", "--help" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      return o;
    }

    /** The proportion: ten events per contact unless --events says otherwise. */
    long events() {
      return events > 0 ? events : 10L * rows;
    }
  }
  /** The numbers of one run and the markdown the lead pastes into bench/RESULTS.md. */
  static final class Report {
    int rows;
    String database = "?";
    double importSeconds = Double.NaN;
    double uploadSeconds = Double.NaN;
    final List<Double> copySeconds = new ArrayList<>();
    final List<Double> shapedSeconds = new ArrayList<>();
    long segmentCount = -1;
    final List<Double> apiMillis = new ArrayList<>();
    final List<Double> sqlMillis = new ArrayList<>();
    long events;
    double setupSeconds = Double.NaN;
    final List<Double> referenceMillis = new ArrayList<>();
    final List<Integer> purchases = new ArrayList<>();
    String memory;
    final List<Double> recomputeMillis = new ArrayList<>();
    final List<JsonNode> recomputeAnswers = new ArrayList<>();

    double importRate() {
      return rows / importSeconds;
    }

    double copyRate() {
      return rows / median(copySeconds);
    }

    double importRatio() {
      return importRate() / copyRate();
    }

    double importShapedRatio() {
      return importRate() / (rows / median(shapedSeconds));
    }

    double segmentRatio() {
      return median(apiMillis) / median(sqlMillis);
    }

    /** Run i (0 = the backfill) against the scan taken just before it. */
    double recomputeRatio(int i) {
      return recomputeMillis.get(i) / referenceMillis.get(i);
    }

    double dailyMedianRatio() {
      List<Double> r = new ArrayList<>();
      for (int i = 1; i < recomputeMillis.size(); i++) {
        r.add(recomputeRatio(i));
      }
      return median(r);
    }

    String markdown(Options o) {
      StringBuilder md = new StringBuilder();
      md.append("### ").append(DateTimeFormatter.ISO_LOCAL_DATE.format(OffsetDateTime.now(ZoneOffset.UTC)))
          .append(" — ").append(o.scenario).append(", ").append(String.format(Locale.ROOT, "%,d", rows)).append(" contacts\n\n");
      md.append("- command: `").append(Out.command("SiyuBench", String.join(" ", commandArgs(o)))).append("`\n");
      md.append(Out.commitAndMachine());
      md.append("- database: ").append(database.replaceAll(" on .*", "")).append("\n\n");
      md.append("| scenario | Siyu | baseline (same run) | ratio | goal | result |\n");
      md.append("|---|---|---|---|---|---|\n");
      if (!Double.isNaN(importSeconds)) {
        md.append(String.format(Locale.ROOT,
            "| import %,d rows | %,.0f rows/s (%.2f s, upload %.2f s) | COPY %,.0f rows/s (median of %d: %.2f s) | %.2f | ≥ %.1f | %s |\n",
            rows, importRate(), importSeconds, uploadSeconds, copyRate(), copySeconds.size(), median(copySeconds),
            importRatio(), ImportScenario.GOAL, importRatio() >= ImportScenario.GOAL ? "pass" : "FAIL"));
        if (!shapedSeconds.isEmpty()) {
          md.append(String.format(Locale.ROOT,
              "| import vs the schema's floor | same run | COPY into a table LIKE contacts %,.0f rows/s (median of %d: %.2f s) | %.2f | (reference) | — |\n",
              rows / median(shapedSeconds), shapedSeconds.size(), median(shapedSeconds), importShapedRatio()));
        }
      }
      if (!apiMillis.isEmpty()) {
        md.append(String.format(Locale.ROOT,
            "| segment count (%,d matches) | API median %.1f ms, p90 %.1f ms | SQL median %.1f ms, p90 %.1f ms | %.2f | ≤ %.1f | %s |\n",
            segmentCount, median(apiMillis), p90(apiMillis), median(sqlMillis), p90(sqlMillis),
            segmentRatio(), SegmentScenario.GOAL, segmentRatio() <= SegmentScenario.GOAL ? "pass" : "FAIL"));
        md.append(String.format(Locale.ROOT, "\nSegment: %d interleaved rounds per side after %d warm-up rounds.\n",
            apiMillis.size(), o.warmup));
      }
      if (!recomputeMillis.isEmpty()) {
        recomputeMarkdown(md);
      }
      md.append("\nPeak memory over the run: ").append(memory).append(".\n");
      return Program.block(md.toString());
    }

    void recomputeMarkdown(StringBuilder md) {
      for (int i = 0; i < recomputeMillis.size(); i++) {
        String siyu = String.format(Locale.ROOT, "%,.0f ms (server: %s)", recomputeMillis.get(i), serverParts(recomputeAnswers.get(i)));
        md.append(String.format(Locale.ROOT, "| recompute, %s (%,d contacts, %,d events) | %s | reference reads just before: %,.0f ms | %.2f | %s | — |\n",
            i == 0 ? "backfill" : "day " + i, rows, events, siyu, referenceMillis.get(i), recomputeRatio(i),
            i == 0 ? "(reference)" : "(in the median)"));
      }
      double daily = dailyMedianRatio();
      md.append(String.format(Locale.ROOT, "| recompute, daily runs | median of %d | | %.2f | ≤ %.1f | %s |\n",
          recomputeMillis.size() - 1, daily, RecomputeScenario.GOAL, daily <= RecomputeScenario.GOAL ? "pass" : "FAIL"));
      md.append(String.format(Locale.ROOT,
          "%nRecompute: data loaded in SQL in %.0f s (setup, not measured); each day, after the clock moved a day, "
              + "its purchases came in through the API (untimed): %s. The reference is RecomputeScenario.REFERENCE, "
              + "the same reads without the writes. Times are end to end over HTTP.%n",
          setupSeconds, String.join(", ", purchases.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList())));
      for (int i = 0; i < recomputeAnswers.size(); i++) {
        JsonNode a = recomputeAnswers.get(i);
        md.append(String.format(Locale.ROOT,
            "%s changed: %,d lifecycle stages (%s pass); RFM base %,d, %,d rescored, %,d cleared (pass: %s); "
                + "%,d lots (%,d points) expired, %,d expiry notices.%n",
            i == 0 ? "The backfill" : "Day " + i, a.path("lifecycle_changed").asLong(), a.path("lifecycle_pass").asText("?"),
            a.path("rfm").path("base").asLong(), a.path("rfm").path("rescored").asLong(), a.path("rfm").path("cleared").asLong(),
            a.path("rfm").path("pass").asText("?"),
            a.path("points").path("expired_lots").asLong(), a.path("points").path("expired_points").asLong(),
            a.path("points").path("notices").asLong()));
      }
    }

    /** Every "<part>_ms" the server reports, in its order: lifecycle, rfm, points, and whatever it adds later. */
    static String serverParts(JsonNode answer) {
      List<String> parts = new ArrayList<>();
      answer.fieldNames().forEachRemaining(f -> {
        if (f.endsWith("_ms")) {
          parts.add(f.substring(0, f.length() - 3) + " " + answer.path(f).asLong());
        }
      });
      return String.join(", ", parts) + " ms";
    }

    static List<String> commandArgs(Options o) {
      if (o.scenario.equals("recompute")) {
        return List.of(o.scenario, "--rows", Integer.toString(o.rows), "--events", Long.toString(o.events()));
      }
      List<String> a = new ArrayList<>(Arrays.asList(o.scenario, "--rows", Integer.toString(o.rows)));
      if (!o.scenario.equals("import")) {
        a.addAll(List.of("--rounds", Integer.toString(o.rounds), "--warmup", Integer.toString(o.warmup)));
      }
      a.addAll(List.of("--copy-runs", Integer.toString(o.copyRuns)));
      return a;
    }
  }
}
