package io.siyu.bench;

import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Stats.median;

import io.siyu.bench.Rounds.Round;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Journey and dispatcher benchmarks: the journey scenarios measure Siyu against the bare Camunda
 * engine running the same (completed) BPMN with no-op delegates, on a separate database of the
 * same PostgreSQL server ({@link WelcomeScenario}, {@link BirthdayScenario}); the dispatch
 * scenario measures the outbox dispatcher against a plain Vert.x web client posting the same
 * bodies ({@link DispatchScenario}). Each in the same run, rounds interleaved ({@link Rounds}),
 * the goal stated as the median ratio: the machine is shared and noisy, so only ratios taken
 * under the same conditions mean something. See bench/README.md.
 *
 * <pre>bench/run.sh JourneyBench [welcome|birthday|all|dispatch] [--contacts N] [--rows M] [--touches T] ...</pre>
 */
public final class JourneyBench {
  /** Always open. The window's end is exclusive and SendWindow.parse takes LocalTimes ("24:00" is none). */
  static final String ALWAYS_OPEN = "00:00-23:59:59.999999999";
  /** The scheduled birthday scan must not fire by itself during a run: only the harness fires it. */
  static final String NEVER = "0 0 0 1 1 ? 2099";

  public static void main(String[] args) {
    Options opts = Program.options(args, Options::parse, Options.USAGE, o -> o.help);
    if (opts != null) {
      Program.run("jbench", opts.keep, new JourneyBench(opts)::measure);
    }
  }

  private final Options opts;
  private final Report report;
  /** Key of the webhook signatures: the server signs with it, the plain client too, the sink checks them. */
  private final String webhookSecret = HexFormat.of().formatHex(SecureRandom.getSeed(16));

  JourneyBench(Options opts) {
    this.opts = opts;
    this.report = new Report(opts);
  }

  private String measure(Path work, Cleanup cleanup) throws Exception {
    Sink sink = Sink.start(webhookSecret);
    cleanup.onStop(sink::stop);
    String welcomeXml = Journeys.zeroWaits(Journeys.readShipped("welcome.bpmn"));
    Map<String, String> env = new LinkedHashMap<>(opts.scenario.equals("dispatch")
        ? DispatchScenario.serverEnv(opts, work) : journeyEnv(work, welcomeXml));
    // webhook touches go to the harness's sink, signed like a production webhook: the HMAC is part of what is measured
    env.put("SIYU_WEBHOOK_URL", sink.url());
    env.put("SIYU_WEBHOOK_SECRET", webhookSecret);
    Server server = Server.start(work, cleanup, env);
    PeakMemory memory = PeakMemory.watch(server);
    Rounds rounds = new Rounds(opts.warmup, report.notes, server, opts.quietMinutes, opts.attempts);
    try (Connection db = server.connect()) {
      report.database = scalar(db, "SELECT version()");
      if (opts.scenario.equals("dispatch")) {
        try (PlainClient plain = new PlainClient(sink.url(), webhookSecret, opts.concurrency)) {
          new DispatchScenario(opts, report, rounds, db, sink, plain).run();
        }
      } else {
        measureJourneys(server, db, cleanup, rounds, sink, welcomeXml);
      }
    }
    report.memory = memory.summary();
    return report.markdown();
  }

  private void measureJourneys(Server server, Connection db, Cleanup cleanup, Rounds rounds, Sink sink,
      String welcomeXml) throws Exception {
    Api api = new Api(server);
    try (BareEngine bare = BareEngine.start(server, opts.acquisitionMs)) {
      cleanup.onStop(bare::close);
      if (!opts.scenario.equals("birthday")) {
        new WelcomeScenario(opts, report, rounds, api, db, bare, sink).run(welcomeXml);
      }
      if (!opts.scenario.equals("welcome")) {
        new BirthdayScenario(opts, report, rounds, api, db, bare).run();
      }
    }
  }

  /**
   * The journey scenarios' server: only the modified welcome is deployed at start (the shipped
   * birthday journey, 09:00, would otherwise enter the million contacts' birthdays too; the
   * scenario's birthday copies come later), every wait of the journeys is zero.
   */
  private Map<String, String> journeyEnv(Path work, String welcomeXml) throws IOException {
    Path journeys = Files.createDirectories(work.resolve("journeys"));
    Files.writeString(journeys.resolve("welcome.bpmn"), welcomeXml);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SIYU_JOURNEYS_DIR", journeys.toString());
    env.put("SIYU_SEND_WINDOW", ALWAYS_OPEN);
    env.put("SIYU_DEFAULT_CHANNEL", "webhook");
    // the four welcome touches go out at once, at any hour: this measures journeys, not the sending policy
    env.put("SIYU_QUIET_HOURS", "none");
    env.put("SIYU_FREQUENCY_CAP", "none");
    env.put("SIYU_JOB_ACQUISITION_MAX_WAIT_MS", Long.toString(opts.acquisitionMs));
    env.put("SIYU_BIRTHDAY_SCAN_CRON", NEVER);
    return env;
  }

  /** The numbers of one run and the markdown to paste into bench/RESULTS.md. */
  static final class Report {
    final Options o;
    String database = "?";
    final List<Round> welcome = new ArrayList<>();
    final List<Round> birthday = new ArrayList<>();
    final List<Round> dispatch = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    long due;
    double loadSeconds = Double.NaN;
    String scanQuery;
    String memory;

    Report(Options o) {
      this.o = o;
    }

    /** Siyu's rate over the baseline's, per round (both sides do the same number of instances or touches). */
    static double rateRatio(Round r) {
      return r.bare().seconds() / r.siyu().seconds();
    }

    static double medianRate(List<Round> rounds) {
      return median(rounds.stream().map(Report::rateRatio).toList());
    }

    /** Siyu time over the bare engine's, per round. */
    static double birthdayRatio(Round r) {
      return r.siyu().seconds() / r.bare().seconds();
    }

    double welcomeRatio() {
      return medianRate(welcome);
    }

    double birthdayRatio() {
      return median(birthday.stream().map(Report::birthdayRatio).toList());
    }

    String markdown() {
      StringBuilder md = new StringBuilder();
      boolean dispatching = o.scenario.equals("dispatch");
      md.append("### ").append(LocalDate.now(ZoneOffset.UTC))
          .append(dispatching ? " — dispatcher throughput" : " — journeys: " + o.scenario).append("\n\n");
      md.append("- command: `").append(Out.command("JourneyBench", String.join(" ", o.commandArgs()))).append("`\n");
      md.append(Out.commitAndMachine());
      md.append("- database: ").append(database.replaceAll(" on .*", "")).append(dispatching ? " (embedded)\n\n"
          : " (embedded; the bare engine on database `" + BareEngine.DATABASE + "` of the same server)\n\n");
      md.append("| scenario | Siyu | baseline (same run) | ratio | goal | result |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Round r : welcome) {
        md.append(String.format(Locale.ROOT, "| welcome, round %d (%,d contacts × 4 touches) | %.1f instances/s (%.2f s) | bare engine %.1f instances/s (%.2f s) | %.2f | (in the median) | — |\n",
            r.number(), o.contacts, o.contacts / r.siyu().seconds(), r.siyu().seconds(), o.contacts / r.bare().seconds(),
            r.bare().seconds(), rateRatio(r)));
      }
      if (!welcome.isEmpty()) {
        md.append(String.format(Locale.ROOT, "| welcome throughput | median of %d | | %.2f | ≥ %.1f | %s |\n",
            welcome.size(), welcomeRatio(), WelcomeScenario.GOAL, welcomeRatio() >= WelcomeScenario.GOAL ? "pass" : "FAIL"));
      }
      for (Round r : birthday) {
        md.append(String.format(Locale.ROOT, "| birthday scan, round %d (%,d due of %,d contacts) | %.2f s | bare engine %.2f s | %.2f | (in the median) | — |\n",
            r.number(), due, o.rows, r.siyu().seconds(), r.bare().seconds(), birthdayRatio(r)));
      }
      if (!birthday.isEmpty()) {
        md.append(String.format(Locale.ROOT, "| birthday scan | median of %d | | %.2f | ≤ %.1f | %s |\n",
            birthday.size(), birthdayRatio(), BirthdayScenario.GOAL, birthdayRatio() <= BirthdayScenario.GOAL ? "pass" : "FAIL"));
      }
      for (Round r : dispatch) {
        md.append(String.format(Locale.ROOT, "| dispatch, round %d (%,d touches) | %,.0f touches/s (%.2f s) | plain client %,.0f touches/s (%.2f s) | %.2f | (in the median) | — |\n",
            r.number(), o.touches, o.touches / r.siyu().seconds(), r.siyu().seconds(), o.touches / r.bare().seconds(),
            r.bare().seconds(), rateRatio(r)));
      }
      if (!dispatch.isEmpty()) {
        double ratio = medianRate(dispatch);
        md.append(String.format(Locale.ROOT, "| dispatcher throughput | median of %d | | %.2f | ≥ %.1f | %s |\n",
            dispatch.size(), ratio, DispatchScenario.GOAL, ratio >= DispatchScenario.GOAL ? "pass" : "FAIL"));
      }
      details(md);
      return Program.block(md.toString());
    }

    private void details(StringBuilder md) {
      md.append('\n');
      roundDetails(md, "Welcome", "bare", welcome);
      if (!birthday.isEmpty()) {
        md.append(String.format(Locale.ROOT, "Birthday: %,d contacts loaded in SQL in %.0f s (setup, not measured); "
            + "the scan's candidate query alone: %s.%n", o.rows, loadSeconds, scanQuery));
      }
      roundDetails(md, "Birthday", "bare", birthday);
      if (!dispatch.isEmpty()) {
        md.append(String.format(Locale.ROOT, "Dispatch: %,d contacts loaded in SQL in %.0f s (setup, not measured); "
            + "each attempt of a round queued its touches in one statement, untimed.%n", o.touches, loadSeconds));
      }
      roundDetails(md, "Dispatch", "plain client", dispatch);
      md.append("Peak memory over the run: ").append(memory).append(".\n");
      for (String n : notes) {
        md.append("Note: ").append(n).append(".\n");
      }
    }

    private static void roundDetails(StringBuilder md, String scenario, String baseline, List<Round> rounds) {
      for (Round r : rounds) {
        md.append(String.format(Locale.ROOT, "%s round %d, Siyu: %s.%n%s round %d, %s: %s.%n",
            scenario, r.number(), r.siyu().detail(), scenario, r.number(), baseline, r.bare().detail()));
      }
    }
  }

  static final class Options {
    static final String USAGE = """
        usage: bench/run.sh JourneyBench [welcome|birthday|all|dispatch] [options]

        Scenarios (default: all)
          welcome   N contacts through the welcome journey with its waits at zero: N member.registered
                    events posted concurrently, until a loopback webhook sink has every contact's 4
                    touches; vs the bare Camunda engine running the same BPMN with no-op delegates
                    until every instance has ended. Goal: Siyu instances/s >= 0.7 x the bare engine's
          birthday  M contacts loaded in SQL (about M / 365 born today in Asia/Shanghai); the birthday
                    scan fired through the API until every due contact's entry has its instance; vs
                    the bare engine starting as many instances of the same BPMN one after another.
                    Goal: Siyu's time <= 1.3 x the bare engine's
          all       the two journey scenarios, welcome first (not dispatch: it needs a server with
                    other settings; run it by name)
          dispatch  T contacts with consent, one queued marketing webhook touch each, released at once
                    with consent and the frequency cap on, until all are sent to the sink; vs a plain
                    Vert.x web client posting the same bodies, signed the same way, as many in flight.
                    Goal: Siyu touches/s >= 0.5 x the plain client's

        Options
          --contacts N        welcome: contacts per round (default 2000)
          --rows M            birthday: contacts to load (default 1000000)
          --rounds R          timed rounds per scenario, Siyu and the baseline interleaved (default 3)
          --warmup W          untimed rounds first (default 1)
          --threads T         welcome: concurrent event posts, and threads starting bare instances (default 4)
          --touches T         dispatch: touches per round, one per contact (default 100000)
          --concurrency C     dispatch: SIYU_OUTBOX_CONCURRENCY and the plain client's requests in flight
                              (default 32, the server's default)
          --cap SPEC          dispatch: SIYU_FREQUENCY_CAP (default 2/day,5/week; none: no cap, to see what it costs)
          --acquisition-ms A  SIYU_JOB_ACQUISITION_MAX_WAIT_MS, the same for the bare engine (default 1000)
          --quiet-minutes Q   wait at most Q minutes for a quiet machine before each part (default 60)
          --attempts A        run a round at most A times while other processes disturb it (default 3)
          --keep              keep the temp dir (journey files, server log, embedded database)
          -h, --help          this text

        The harness always starts its own server (java -jar <the siyu jar on the classpath>) with an
        embedded PostgreSQL in a fresh temp dir, run from the repository root (it reads bpmn/).
        """;

    String scenario = "all";
    int contacts = 2000;
    int rows = 1_000_000;
    int rounds = 3;
    int warmup = 1;
    int threads = 4;
    int touches = 100_000;
    int concurrency = 32;
    String cap = "2/day,5/week";
    long acquisitionMs = 1000;
    int quietMinutes = 60;
    int attempts = 3;
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "welcome", "birthday", "all", "dispatch" -> o.scenario = a;
          case "--contacts" -> o.contacts = Args.positive(a, Args.value(args, ++i, a));
          case "--rows" -> o.rows = Args.positive(a, Args.value(args, ++i, a));
          case "--rounds" -> o.rounds = Args.positive(a, Args.value(args, ++i, a));
          case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(Args.value(args, ++i, a)));
          case "--threads" -> o.threads = Args.positive(a, Args.value(args, ++i, a));
          case "--touches" -> o.touches = Args.positive(a, Args.value(args, ++i, a));
          case "--concurrency" -> o.concurrency = Args.positive(a, Args.value(args, ++i, a));
          case "--cap" -> o.cap = Args.value(args, ++i, a);
          case "--acquisition-ms" -> o.acquisitionMs = Args.positive(a, Args.value(args, ++i, a));
          case "--quiet-minutes" -> o.quietMinutes = Args.positive(a, Args.value(args, ++i, a));
          case "--attempts" -> o.attempts = Args.positive(a, Args.value(args, ++i, a));
          case "--keep" -> o.keep = true;
          case "-h", "--help" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      // batch b's welcome mobiles are +861(30+b)xxxxxxxx, and a round may take up to 3 batches
      if (o.warmup + o.rounds > 20) {
        throw new IllegalArgumentException("at most 20 rounds in all (warm-up included)");
      }
      if (o.contacts > 99_999_999) {
        throw new IllegalArgumentException("--contacts: at most 99,999,999");
      }
      return o;
    }

    /** Whether the dispatch server caps marketing touches (and so every touch takes a cap place). */
    boolean capped() {
      return !cap.trim().equals("none");
    }

    List<String> commandArgs() {
      List<String> a = new ArrayList<>(List.of(scenario));
      if (scenario.equals("welcome") || scenario.equals("all")) {
        a.addAll(List.of("--contacts", Integer.toString(contacts), "--threads", Integer.toString(threads)));
      }
      if (scenario.equals("birthday") || scenario.equals("all")) {
        a.addAll(List.of("--rows", Integer.toString(rows)));
      }
      if (scenario.equals("dispatch")) {
        a.addAll(List.of("--touches", Integer.toString(touches), "--concurrency", Integer.toString(concurrency), "--cap", cap));
      }
      a.addAll(List.of("--rounds", Integer.toString(rounds), "--warmup", Integer.toString(warmup)));
      if (quietMinutes != 60) {
        a.addAll(List.of("--quiet-minutes", Integer.toString(quietMinutes)));
      }
      if (attempts != 3) {
        a.addAll(List.of("--attempts", Integer.toString(attempts)));
      }
      return a;
    }
  }
}
