import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.siyu.journey.BirthdayScan;
import io.siyu.journey.JourneyEngine;
import io.siyu.journey.JourneyFile;
import io.siyu.journey.Trigger;
import io.siyu.journey.palette.Palette;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Journey and dispatcher benchmarks. One file, run with the single-file source launcher against
 * the server's shaded jar (which brings the Camunda engine, Vert.x, the PostgreSQL driver, HikariCP
 * and Jackson):
 *
 * <pre>java -cp target/siyu.jar bench/JourneyBench.java [welcome|birthday|all|dispatch] [--contacts N] [--rows M] [--touches T] ...</pre>
 *
 * The journey scenarios measure Siyu against the bare Camunda engine running the same (completed)
 * BPMN with no-op delegates, on a separate database of the same PostgreSQL server; the dispatch
 * scenario measures the outbox dispatcher against a plain Vert.x web client posting the same
 * bodies. Each in the same run, rounds interleaved, the goal stated as the median ratio: the
 * machine is shared and noisy, so only ratios taken under the same conditions mean something.
 * See bench/README.md.
 */
public final class JourneyBench {

  static final ObjectMapper JSON = new ObjectMapper();

  // goals from the "Journeys" issue
  static final double WELCOME_GOAL = 0.7;  // Siyu instances/s >= 0.7 x the bare engine's
  static final double BIRTHDAY_GOAL = 1.3; // Siyu scan time <= 1.3 x the bare engine's time
  // goal from the "Channels and templates" issue
  static final double DISPATCH_GOAL = 0.5; // Siyu touches/s >= 0.5 x a plain web client's

  /** The welcome journey's four touches: a contact is through when the sink has all of them. */
  static final List<String> WELCOME_TEMPLATES = List.of("welcome", "welcome_day1", "welcome_day3", "welcome_day7");
  /** Always open. The window's end is exclusive and SendWindow.parse takes LocalTimes ("24:00" is none). */
  static final String ALWAYS_OPEN = "00:00-23:59:59.999999999";
  /** The scheduled birthday scan must not fire by itself during a run: only the harness fires it. */
  static final String NEVER = "0 0 0 1 1 ? 2099";
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** The bare engine's database, created on the server's PostgreSQL next to Siyu's own. */
  static final String BARE_DB = "bench_bare";
  /** Where the dispatch scenario's contacts come from, and the journey its touches name. */
  static final String DISPATCH_SOURCE = "bench-dispatch";
  static final String DISPATCH_JOURNEY = "bench_dispatch";

  public static void main(String[] args) {
    // slf4j-simple (in the jar) logs the bare engine at INFO to stderr otherwise
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Options opts;
    try {
      opts = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println();
      System.err.println(Options.USAGE);
      System.exit(64);
      return;
    }
    if (opts.help) {
      System.out.println(Options.USAGE);
      return;
    }
    int exit;
    try {
      exit = new JourneyBench(opts).run();
    } catch (BenchFailure e) {
      System.err.println();
      System.err.println(Cleanup.stopping ? "BENCH INTERRUPTED" : "BENCH FAILED: " + e.getMessage());
      exit = 1;
    } catch (Exception e) {
      System.err.println();
      System.err.println("BENCH FAILED with an unexpected error:");
      e.printStackTrace();
      exit = 1;
    }
    // System.exit runs the shutdown hook that stops the child server and removes the temp dir
    System.exit(exit);
  }

  private final Options opts;
  private final Report report;

  JourneyBench(Options opts) {
    this.opts = opts;
    this.report = new Report(opts);
  }

  int run() throws Exception {
    Path work = Files.createTempDirectory("siyu-jbench-");
    Cleanup cleanup = new Cleanup(work, opts.keep);
    Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, "jbench-cleanup"));
    try {
      measure(work, cleanup);
    } catch (Exception e) {
      cleanup.failed();
      throw e;
    }
    System.out.println();
    System.out.println(report.markdown());
    return 0;
  }

  /** Key of the webhook signatures: the server signs with it, the plain client too, the sink checks them. */
  private final String webhookSecret = HexFormat.of().formatHex(SecureRandom.getSeed(16));

  private void measure(Path work, Cleanup cleanup) throws Exception {
    Sink sink = Sink.start(webhookSecret);
    cleanup.onStop(sink::stop);
    if (opts.scenario.equals("dispatch")) {
      measureDispatch(work, cleanup, sink);
    } else {
      measureJourneys(work, cleanup, sink);
    }
  }

  /** The server under test, with {@code env} on top of the harness's own settings; OtherCpu watches everything else. */
  private Target startServer(Path work, Cleanup cleanup, Map<String, String> env) throws Exception {
    Target target = ChildServer.start(work, cleanup, env);
    other = new OtherCpu(target.serverPid(), target.dataDir().resolve("postgres").resolve("postmaster.pid"));
    return target;
  }

  private void measureJourneys(Path work, Cleanup cleanup, Sink sink) throws Exception {
    String welcomeXml = zeroWaits(readShipped("welcome.bpmn"));
    Path journeys = Files.createDirectories(work.resolve("journeys"));
    // only the modified welcome is deployed at start: the shipped birthday journey (09:00) would
    // otherwise enter the million contacts' birthdays too; the bench's birthday copies come later
    Files.writeString(journeys.resolve("welcome.bpmn"), welcomeXml);
    Target target = startServer(work, cleanup, serverEnv(journeys, sink));
    Api api = new Api(target.baseUrl(), target.token());
    try (Connection db = target.connect("postgres");
        BareEngine bare = BareEngine.start(target, opts.acquisitionMs)) {
      cleanup.onStop(bare::close);
      report.database = scalar(db, "SELECT version()");
      if (!opts.scenario.equals("birthday")) {
        runWelcome(api, db, bare, sink, welcomeXml);
      }
      if (!opts.scenario.equals("welcome")) {
        runBirthday(api, db, bare);
      }
    }
  }

  /** The server's settings: every wait of the journeys is zero, touches go to the harness's sink. */
  Map<String, String> serverEnv(Path journeys, Sink sink) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SIYU_JOURNEYS_DIR", journeys.toString());
    env.put("SIYU_SEND_WINDOW", ALWAYS_OPEN);
    env.put("SIYU_DEFAULT_CHANNEL", "webhook");
    // the four welcome touches go out at once, at any hour: this measures journeys, not the sending policy
    env.put("SIYU_QUIET_HOURS", "none");
    env.put("SIYU_FREQUENCY_CAP", "none");
    env.putAll(sinkEnv(sink));
    env.put("SIYU_JOB_ACQUISITION_MAX_WAIT_MS", Long.toString(opts.acquisitionMs));
    env.put("SIYU_BIRTHDAY_SCAN_CRON", NEVER);
    return env;
  }

  /** Webhook touches go to the harness's sink, signed like a production webhook: the HMAC is part of what is measured. */
  Map<String, String> sinkEnv(Sink sink) {
    return Map.of("SIYU_WEBHOOK_URL", sink.url(), "SIYU_WEBHOOK_SECRET", webhookSecret);
  }

  // ---------------------------------------------------------------------------------------------
  // the journeys under test

  /** A journey shipped in bpmn/, read from the working directory (the repository root). */
  static String readShipped(String file) throws IOException {
    Path p = Path.of("bpmn", file);
    if (!Files.isRegularFile(p)) {
      throw new BenchFailure("no " + p + " here: run the harness from the repository root");
    }
    return Files.readString(p);
  }

  /** The welcome journey with its day 1, 3 and 7 timers at zero (the send windows are zero by SIYU_SEND_WINDOW). */
  static String zeroWaits(String xml) {
    String out = xml.replaceAll("<bpmn:timeDuration>P[^<]*</bpmn:timeDuration>", "<bpmn:timeDuration>PT0S</bpmn:timeDuration>");
    int timers = xml.split("<bpmn:timeDuration>", -1).length - 1;
    if (timers != 3 || out.contains("P1D") || out.contains("P2D") || out.contains("P4D")) {
      throw new BenchFailure("bpmn/welcome.bpmn no longer has the three waits (1, 2 and 4 days) this harness zeroes");
    }
    return out;
  }

  /** The birthday journey as process {@code key}, entering at local hour 0 so a scan at any time of day enters today's birthdays. */
  static String birthdayCopy(String shipped, String key) {
    String out = shipped.replace("<bpmn:process id=\"birthday\"", "<bpmn:process id=\"" + key + "\"")
        .replace("name=\"siyu.hour\" value=\"9\"", "name=\"siyu.hour\" value=\"0\"");
    if (!out.contains("id=\"" + key + "\"") || !out.contains("name=\"siyu.hour\" value=\"0\"")) {
      throw new BenchFailure("bpmn/birthday.bpmn no longer has process id \"birthday\" with siyu.hour 9");
    }
    return out;
  }

  /** What Siyu deploys for a file: its markers completed into plain BPMN. The bare engine runs exactly this. */
  static String completed(String xml) {
    JourneyFile.Checked checked = JourneyFile.check(xml);
    if (!checked.ok()) {
      throw new BenchFailure("the journey file does not pass Siyu's checks: " + checked.problems());
    }
    return checked.journey().xml();
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 1: welcome throughput

  /**
   * Every attempt of a round takes N fresh contacts (batch b's mobiles and event ids are its own),
   * so the welcome's "once" policy never skips anyone.
   */
  void runWelcome(Api api, Connection db, BareEngine bare, Sink sink, String welcomeXml) throws Exception {
    log("");
    log("== welcome: %,d contacts through the welcome journey (waits zero, send window always open), "
        + "event to 4 touches delivered, vs the bare engine", opts.contacts);
    bare.deploy("welcome", completed(welcomeXml));
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = round(db, "welcome", r, "bare engine", batch -> { },
          batch -> siyuWelcome(api, db, sink, batch), batch -> bareWelcome(db, bare, batch));
      log("welcome %s: Siyu %.1f instances/s, bare %.1f instances/s, ratio %.2f%s", roundName(r),
          opts.contacts / round.siyu().seconds(), opts.contacts / round.bare().seconds(), Report.rateRatio(round),
          r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.welcome.add(round);
      }
    }
    log("welcome: median ratio %.2f (goal >= %.1f)", report.welcomeRatio(), WELCOME_GOAL);
  }

  String roundName(int r) {
    return r < opts.warmup ? "warm-up " + (r + 1) : "round " + (r - opts.warmup + 1);
  }

  /** One side of a round, or its untimed preparation, for a batch of fresh data. */
  interface Part<T> {
    T run(int batch) throws Exception;
  }

  interface Prepare {
    void run(int batch) throws Exception;
  }

  /** Each attempt of a round gets the next batch number, so its contacts or journey are fresh. */
  private int batch;
  /** The birthday journey of the last attempt, paused when the next is deployed. */
  private String lastBirthday;
  private OtherCpu other;

  /**
   * Round r: both sides, Siyu first in even rounds and the baseline (named {@code baseline} in the
   * output) first in odd ones (drift in load hits both alike), each after awaitQuiet and watched by OtherCpu. When other processes
   * took more than {@value #DISTURBED} of the cores during either part, the round is run again on
   * fresh data (at most {@value #ATTEMPTS} attempts; then it is kept and noted): a benchmark that
   * starts half way through must not land on one side only.
   */
  Round round(Connection db, String scenario, int r, String baseline, Prepare prepare, Part<Side> siyuPart,
      Part<Side> barePart) throws Exception {
    String name = roundName(r);
    for (int attempt = 1; ; attempt++) {
      int b = batch++;
      prepare.run(b);
      Side siyu = null;
      Side bare = null;
      for (int part = 0; part < 2; part++) {
        boolean siyuNow = (part == 0) == (r % 2 == 0);
        String what = scenario + " " + name + " (" + (siyuNow ? "Siyu" : baseline) + ")";
        awaitQuiet(db, what);
        other.begin();
        Side side = siyuNow ? siyuPart.run(b) : barePart.run(b);
        side = side.withCpu(other.end());
        if (siyuNow) {
          siyu = side;
        } else {
          bare = side;
        }
      }
      double worst = Math.max(siyu.other(), bare.other());
      if (worst <= DISTURBED) {
        return new Round(r - opts.warmup + 1, siyu, bare);
      }
      String why = String.format(Locale.ROOT, "other processes used %.0f%% of the cores during %s %s", worst * 100, scenario, name);
      if (attempt == ATTEMPTS) {
        report.notes.add(why + " in all " + ATTEMPTS + " attempts: the last one is reported");
        log("  %s in all %d attempts: keeping the last", why, ATTEMPTS);
        return new Round(r - opts.warmup + 1, siyu, bare);
      }
      report.notes.add(why + ": the round was run again");
      log("  %s: running the round again", why);
    }
  }

  /** One Siyu part: N member.registered events posted concurrently, until the sink holds every contact's 4 touches. */
  Side siyuWelcome(Api api, Connection db, Sink sink, int batch) throws Exception {
    Counters before = Counters.read(db, "postgres");
    sink.expect(opts.contacts);
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    parallel(opts.contacts, opts.threads, i -> {
      api.post("/api/v1/events", welcomeEvent(batch, i), 201);
      return null;
    });
    double posted = (System.nanoTime() - t0) / 1e9;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120 + opts.contacts / 4);
    while (!sink.await(5, TimeUnit.SECONDS)) {
      log("  Siyu: %,d of %,d contacts have all 4 touches after %.0f s (events posted in %.1f s)",
          sink.complete(), opts.contacts, (System.nanoTime() - t0) / 1e9, posted);
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the welcome round did not complete in time: " + welcomeState(db, batch));
      }
    }
    double seconds = (sink.doneNanos() - t0) / 1e9;
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    Counters used = Counters.read(db, "postgres").minus(before);
    String stages = welcomeStages(db, batch, wall, posted);
    log("  Siyu: %,d contacts through in %.2f s = %.1f instances/s; %s; %s", opts.contacts, seconds,
        opts.contacts / seconds, stages, used.per(opts.contacts, "contact"));
    return new Side(seconds, stages + "; " + used.per(opts.contacts, "contact"));
  }

  static String welcomeEvent(int batch, int i) {
    return json(Map.of("id", welcomeKey(batch, i), "type", "member.registered",
        "contact", Map.of("mobile", String.format(Locale.ROOT, "+861%02d%08d", 30 + batch, i))));
  }

  static String welcomeKey(int batch, int i) {
    return "jbw-" + batch + "-" + i;
  }

  /**
   * Where a part's time went, from Siyu's own timestamps (each is its transaction's start):
   * when the last event was stored, entered, and each of the four touches queued and sent,
   * as offsets from the first POST, and per-contact medians of the stages between them.
   */
  static String welcomeStages(Connection db, int batch, Instant t0, double posted) throws SQLException {
    String like = "jbw-" + batch + "-%";
    double origin = t0.toEpochMilli() / 1e3;
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "events posted by +%.1f s", posted));
    try (PreparedStatement st = db.prepareStatement("""
        SELECT extract(epoch FROM max(e.received_at)) - ?, extract(epoch FROM max(j.entered_at)) - ?,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM j.entered_at - e.received_at))
          FROM events e JOIN journey_entries j ON j.contact_id = e.contact_id AND j.journey_key = 'welcome'
         WHERE e.event_key LIKE ?""")) {
      st.setDouble(1, origin);
      st.setDouble(2, origin);
      st.setString(3, like);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        out.append(String.format(Locale.ROOT, ", stored by +%.1f s; entered by +%.1f s (median event→entry %.2f s)",
            rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)));
      }
    }
    try (PreparedStatement st = db.prepareStatement("""
        SELECT t.template_key, extract(epoch FROM max(t.created_at)) - ?, extract(epoch FROM max(h.at)) - ?,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.created_at - j.entered_at)),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.at - t.created_at))
          FROM events e
          JOIN journey_entries j ON j.contact_id = e.contact_id AND j.journey_key = 'welcome'
          JOIN touches t ON t.contact_id = e.contact_id AND t.journey_key = 'welcome'
          JOIN touch_history h ON h.touch_id = t.id AND h.status = 'sent'
         WHERE e.event_key LIKE ?
         GROUP BY t.template_key ORDER BY t.template_key""")) {
      st.setDouble(1, origin);
      st.setDouble(2, origin);
      st.setString(3, like);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.append(String.format(Locale.ROOT, "; %s queued by +%.1f s, sent by +%.1f s (median entry→queued %.2f s, queued→sent %.2f s)",
              rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)));
        }
      }
    }
    return out.toString();
  }

  /** For a batch that did not finish: how far each stage got. */
  static String welcomeState(Connection db, int batch) {
    try {
      return scalar(db, "SELECT json_build_object("
          + "'events', (SELECT count(*) FROM events WHERE event_key LIKE '" + "jbw-" + batch + "-%'), "
          + "'inbox', (SELECT count(*) FROM journey_inbox), "
          + "'parked', (SELECT count(*) FROM journey_inbox WHERE parked), "
          + "'entries', (SELECT count(*) FROM journey_entries WHERE journey_key = 'welcome'), "
          + "'touches', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM touches GROUP BY status) s), "
          + "'incidents', (SELECT count(*) FROM act_ru_incident))::text");
    } catch (SQLException e) {
      return "(state unknown: " + e.getMessage() + ")";
    }
  }

  /** One bare part: N instances started from a few threads, until every one has ended. */
  Side bareWelcome(Connection db, BareEngine bare, int batch) throws Exception {
    Counters before = Counters.read(db, BARE_DB);
    bare.expectEnds(opts.contacts);
    String prefix = "w" + batch + "-";
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    // the same variables Siyu's inbox gives an entry, so the engine stores the same
    bare.startAll("welcome", prefix, opts.contacts, opts.threads, i -> Map.of(
        "contactId", (long) i, "entryKey", "once", "triggerEventId", (long) i,
        "triggerEvent", "{\"id\":\"" + welcomeKey(batch, i) + "\"}"));
    double started = (System.nanoTime() - t0) / 1e9;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120 + opts.contacts / 4);
    while (!bare.awaitEnds(5, TimeUnit.SECONDS)) {
      log("  bare: %,d of %,d instances ended after %.0f s", bare.ended(), opts.contacts, (System.nanoTime() - t0) / 1e9);
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the bare engine's welcome round did not complete in time");
      }
    }
    double seconds = (bare.endedNanos() - t0) / 1e9;
    Thread.sleep(1500);
    Counters used = Counters.read(db, BARE_DB).minus(before);
    String stages = String.format(Locale.ROOT, "all started by +%.1f s; %s", started, bare.history(prefix, opts.contacts, wall));
    log("  bare: %,d instances through in %.2f s = %.1f instances/s; %s; %s", opts.contacts, seconds,
        opts.contacts / seconds, stages, used.per(opts.contacts, "instance"));
    return new Side(seconds, stages + "; " + used.per(opts.contacts, "instance"));
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 2: birthday scan

  /**
   * A million contacts loaded in SQL, about 2,700 of them born on today's date in Asia/Shanghai.
   * Every round deploys a fresh copy of the birthday journey (its own key, so nobody is skipped as
   * already entered) and pauses the previous one, so each scan enters the same contacts into
   * exactly one journey.
   */
  void runBirthday(Api api, Connection db, BareEngine bare) throws Exception {
    log("");
    log("== birthday: scan over %,d contacts (local hour 0), firing to every instance started, vs the bare engine",
        opts.rows);
    String shipped = readShipped("birthday.bpmn");
    LocalDate today = LocalDate.now(SHANGHAI);
    report.loadSeconds = loadBirthdayContacts(db, opts.rows);
    long due = dueToday(db, today);
    report.due = due;
    log("%,d contacts have their birthday today (%s in Asia/Shanghai)", due, today);
    if (due == 0) {
      throw new BenchFailure("no contact has a birthday today; use more --rows");
    }
    bare.deploy("birthday_bench", completed(birthdayCopy(shipped, "birthday_bench")));
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = round(db, "birthday", r, "bare engine", batch -> {
        if (!LocalDate.now(SHANGHAI).equals(today)) {
          throw new BenchFailure("midnight passed in Asia/Shanghai during the run: the birthdays due changed");
        }
        prepareBirthdayJourney(api, shipped, birthdayKey(batch), lastBirthday);
        lastBirthday = birthdayKey(batch);
      }, batch -> siyuBirthday(api, db, birthdayKey(batch), due), batch -> bareBirthday(db, bare, batch, (int) due));
      log("birthday %s: Siyu %.2f s, bare %.2f s, ratio %.2f%s", roundName(r), round.siyu().seconds(),
          round.bare().seconds(), Report.birthdayRatio(round), r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.birthday.add(round);
      }
    }
    report.scanQuery = explainScan(db);
    log("birthday: median ratio %.2f (goal <= %.1f)", report.birthdayRatio(), BIRTHDAY_GOAL);
  }

  /**
   * N contacts (untimed setup), birthdays spread evenly over 1960–2005: i × a large prime modulo
   * the 16,801 days of those years visits every day equally often, so each calendar day has
   * about N × 46 / 16,801 birthdays (2,738 for a million; 29 February a quarter of that).
   * Every contact is in the default time zone, Asia/Shanghai.
   */
  static double loadBirthdayContacts(Connection db, int rows) throws SQLException {
    long t0 = System.nanoTime();
    timedSql(db, "INSERT INTO contacts (mobile, name, source, birthday) "
        + "SELECT '+86129' || lpad(i::text, 8, '0'), 'bench ' || i, 'bench', "
        + "  date '1960-01-01' + ((i::bigint * 2654435761) % 16801)::int "
        + "FROM generate_series(0, " + (rows - 1) + ") i", "contacts with birthdays");
    // VACUUM as well as ANALYZE: hint bits and the visibility map are set here, not in a timed scan
    timedSql(db, "VACUUM (ANALYZE) contacts", "vacuumed and analyzed");
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The contacts whose birthday is {@code today} (29 February ones on the 28th of a common year). */
  static long dueToday(Connection db, LocalDate today) throws SQLException {
    boolean leapDayToo = today.getMonthValue() == 2 && today.getDayOfMonth() == 28 && !today.isLeapYear();
    return Long.parseLong(scalar(db, "SELECT count(*) FROM contacts WHERE birthday IS NOT NULL AND timezone = 'Asia/Shanghai' "
        + "AND ((birth_month = " + today.getMonthValue() + " AND birth_day = " + today.getDayOfMonth() + ")"
        + (leapDayToo ? " OR (birth_month = 2 AND birth_day = 29)" : "") + ")"));
  }

  /** Batch b's birthday journey (batch numbers run on from the welcome's; the first journey has no predecessor to pause). */
  String birthdayKey(int b) {
    return "birthday_bench_" + b;
  }

  /** Untimed: deploys this round's copy of the birthday journey and pauses the last round's. */
  static void prepareBirthdayJourney(Api api, String shipped, String key, String previous) {
    JsonNode deployed = api.postXml("/api/v1/journeys", birthdayCopy(shipped, key), 201);
    if (deployed.path("trigger").path("hour").asInt(-1) != 0) {
      throw new BenchFailure("the birthday copy was deployed with a trigger other than hour 0: " + deployed);
    }
    if (previous != null) {
      api.post("/api/v1/journeys/" + previous + "/pause", "{}", 200);
    }
  }

  /** One Siyu part: fires the scan through the API, until every due contact's entry has its instance. */
  Side siyuBirthday(Api api, Connection db, String key, long due) throws Exception {
    Counters before = Counters.read(db, "postgres");
    long lastRun = Long.parseLong(scalar(db, "SELECT coalesce(max(id), 0) FROM schedule_runs WHERE job = 'journey-birthdays'"));
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    api.post("/api/v1/schedules/journey-birthdays/run", "{}", 202);
    int polls = 0;
    long lastLog = t0;
    try (PreparedStatement st = db.prepareStatement(
        "SELECT count(*) FROM journey_entries WHERE journey_key = ? AND process_instance_id IS NOT NULL")) {
      st.setString(1, key);
      long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
      while (true) {
        long started = count(st);
        polls++;
        if (started >= due) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new BenchFailure("the birthday scan started " + started + " of " + due + " instances in 30 minutes");
        }
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
          lastLog = System.nanoTime();
          log("  Siyu: %,d of %,d entries started after %.0f s", started, due, (lastLog - t0) / 1e9);
        }
        // a count through the journey_key index every 100 ms; entries commit 50 at a time anyway
        Thread.sleep(100);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Settled settled = settleBirthdayRun(db, key, lastRun);
    Counters used = Counters.read(db, "postgres").minus(before).lessCommits(polls + settled.queries());
    String detail = birthdayRunDetail(settled.run(), wall, key, due) + "; " + used.per(due, "entry");
    log("  Siyu: %,d instances started in %.2f s; %s", due, seconds, detail);
    return new Side(seconds, detail);
  }

  /** The scan's recorded run, and how many queries (commits) the harness made waiting for it. */
  record Settled(JsonNode run, int queries) {}

  /**
   * Untimed: waits until the run is recorded as done and its touches are delivered (the dispatcher
   * sends them behind the scan), so they do not land in the next, bare, part.
   */
  static Settled settleBirthdayRun(Connection db, String key, long lastRun) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    int queries = 0;
    while (System.nanoTime() < deadline) {
      queries += 2;
      String run = scalar(db, "SELECT json_build_object('status', status, 'result', result, 'error', error, "
          + "'started', extract(epoch FROM started_at), 'finished', extract(epoch FROM finished_at))::text "
          + "FROM schedule_runs WHERE job = 'journey-birthdays' AND id > " + lastRun + " ORDER BY id DESC LIMIT 1");
      long unsent = Long.parseLong(scalar(db, "SELECT count(*) FROM touches WHERE journey_key = '" + key + "' AND status <> 'sent'"));
      if (run != null && !JSON.readTree(run).path("status").asText().equals("running") && unsent == 0) {
        JsonNode node = JSON.readTree(run);
        if (!node.path("status").asText().equals("done")) {
          throw new BenchFailure("the birthday scan run ended " + node);
        }
        Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
        return new Settled(node, queries);
      }
      Thread.sleep(200);
    }
    throw new BenchFailure("the birthday scan's run or its touches did not finish within 10 minutes after the instances");
  }

  /** What the run recorded: when Quartz started it, how long it ran, and its counts (which must be all due, all entered). */
  static String birthdayRunDetail(JsonNode run, Instant t0, String key, long due) {
    JsonNode mine = null;
    for (JsonNode j : run.path("result").path("journeys")) {
      if (j.path("journey").asText().equals(key)) {
        mine = j;
      } else if (j.path("due").asLong() > 0) {
        throw new BenchFailure("the scan also entered contacts into journey " + j.path("journey").asText() + ": " + run);
      }
    }
    if (mine == null || mine.path("due").asLong() != due || mine.path("entered").asLong() != due
        || mine.path("failed").asLong() != 0) {
      throw new BenchFailure("the scan's run does not show " + due + " due and entered into " + key + ": " + run);
    }
    double origin = t0.toEpochMilli() / 1e3;
    double started = run.path("started").asDouble() - origin;
    double span = run.path("finished").asDouble() - run.path("started").asDouble();
    return String.format(Locale.ROOT, "Quartz started the run at +%.2f s, it ran %.2f s (%.2f ms per entry, query included)",
        started, span, span * 1000 / due);
  }

  /** One bare part: the same number of instances started one after another on one thread, as the scan does. */
  Side bareBirthday(Connection db, BareEngine bare, int batch, int due) throws Exception {
    Counters before = Counters.read(db, BARE_DB);
    long t0 = System.nanoTime();
    bare.startAll("birthday_bench", "b" + batch + "-", due, 1, i -> Map.of("contactId", (long) i, "entryKey", "2026"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1500);
    Counters used = Counters.read(db, BARE_DB).minus(before);
    String detail = String.format(Locale.ROOT, "%.2f ms per instance; %s", seconds * 1000 / due, used.per(due, "instance"));
    log("  bare: %,d instances started in %.2f s; %s", due, seconds, detail);
    return new Side(seconds, detail);
  }

  /**
   * Diagnosis, untimed: the scan's candidate query (as BirthdayScan builds it for a yearly journey)
   * for a journey nobody has entered, so it returns every due contact: EXPLAIN ANALYZE once, then
   * three plain runs. The query and its parameters come from BirthdayScan; it is not part of any ratio.
   */
  static String explainScan(Connection db) throws SQLException {
    String sql = BirthdayScan.dueSql(Trigger.Reentry.YEARLY);
    StringBuilder plan = new StringBuilder();
    List<Double> millis = new ArrayList<>();
    for (int run = 0; run < 4; run++) {
      boolean explain = run == 0;
      try (PreparedStatement st = db.prepareStatement((explain ? "EXPLAIN (ANALYZE, BUFFERS) " : "") + sql)) {
        BirthdayScan.bindDue(db, st, java.time.Instant.now(), 0, "bench_never_entered");
        long t0 = System.nanoTime();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            if (explain) {
              plan.append(rs.getString(1)).append('\n');
            }
          }
        }
        if (!explain) {
          millis.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    log("the scan's candidate query, EXPLAIN ANALYZE:%n%s", plan.toString().replaceAll("(?m)^", "    "));
    log("the scan's candidate query alone: %s ms (median %.1f ms)", millis.stream()
        .map(m -> String.format(Locale.ROOT, "%.1f", m)).toList(), median(millis));
    return String.format(Locale.ROOT, "%.1f ms (median of 3 plain runs; plan: %s)", median(millis), planSummary(plan.toString()));
  }

  /** The plan's node names, shortened: enough to see index or sequential scans. */
  static String planSummary(String plan) {
    List<String> nodes = new ArrayList<>();
    for (String line : plan.split("\n")) {
      String t = line.trim().replaceFirst("^->\\s*", "");
      if (t.matches("^[A-Z][A-Za-z ]+( on | using |\\s*\\().*") && !t.startsWith("Planning") && !t.startsWith("Execution")) {
        nodes.add(t.replaceAll("\\s*\\(cost=.*", "").replaceAll("\\s+", " "));
      }
    }
    return String.join(" → ", nodes);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 3: dispatcher throughput

  /**
   * The dispatch scenario's own server: nothing but the harness's touches in the outbox, and the
   * sending policy on, so every touch pays for it.
   */
  private void measureDispatch(Path work, Cleanup cleanup, Sink sink) throws Exception {
    Target target = startServer(work, cleanup, dispatchEnv(work, sink));
    try (Connection db = target.connect("postgres");
        PlainClient plain = new PlainClient(sink.url(), webhookSecret, opts.concurrency)) {
      report.database = scalar(db, "SELECT version()");
      runDispatch(db, sink, plain);
    }
  }

  Map<String, String> dispatchEnv(Path work, Sink sink) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    // no journeys: the shipped ones would deploy from bpmn/ and could write touches of their own
    env.put("SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("no-journeys")).toString());
    env.putAll(sinkEnv(sink));
    // consent is looked up for every touch: webhook marketing needs consent.webhook = true
    env.put("SIYU_CONSENT_REQUIRED", "sms,email,webhook");
    // every touch takes a place in contact_send_days (one statement each) before it is sent
    env.put("SIYU_FREQUENCY_CAP", opts.cap);
    // the run must not depend on the hour: with quiet hours a run in the evening in Shanghai
    // would only defer every touch to the morning
    env.put("SIYU_QUIET_HOURS", "none");
    // the server's default, set here so the plain client is sure to get the same
    env.put("SIYU_OUTBOX_CONCURRENCY", Integer.toString(opts.concurrency));
    return env;
  }

  /** The touches of the current batch, as the plain client posts them (read back after they were queued). */
  private List<HeldTouch> held;
  /** Per batch, the bodies the first of its two parts posted (bytes and digest): the second must post the same. */
  private final Map<Integer, List<Long>> bodiesByBatch = new HashMap<>();

  /**
   * N contacts loaded once; each round queues one marketing webhook touch per contact, held back,
   * then Siyu's part releases them all at once and the plain client's part posts the same bodies.
   */
  void runDispatch(Connection db, Sink sink, PlainClient plain) throws Exception {
    log("");
    log("== dispatch: %,d queued webhook touches released at once (consent checked, frequency cap %s), until all are "
        + "sent to the sink, vs a plain Vert.x web client posting the same bodies; %d in flight on both sides",
        opts.touches, opts.cap, opts.concurrency);
    report.loadSeconds = loadDispatchContacts(db, opts.touches);
    checkPolicyIsOn(db, opts.capped());
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = round(db, "dispatch", r, "plain client", batch -> held = queueHeldTouches(db, batch),
          batch -> siyuDispatch(db, sink, batch), batch -> plainDispatch(plain, sink, batch));
      log("dispatch %s: Siyu %,.0f touches/s, plain client %,.0f touches/s, ratio %.2f%s", roundName(r),
          opts.touches / round.siyu().seconds(), opts.touches / round.bare().seconds(), Report.rateRatio(round),
          r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.dispatch.add(round);
      }
    }
    log("dispatch: median ratio %.2f (goal >= %.1f)", Report.medianRate(report.dispatch), DISPATCH_GOAL);
  }

  /**
   * N contacts (untimed setup) who said yes to webhook marketing, in the default time zone, each
   * with one marketing touch counted three days ago: contact_send_days then holds a week's history,
   * as it does in production, and the cap's week count finds a row (1 of 5). Its statistics say so
   * too; an empty table's would plan the cap statement for an empty table.
   */
  static double loadDispatchContacts(Connection db, int n) throws SQLException {
    long t0 = System.nanoTime();
    timedSql(db, "INSERT INTO contacts (mobile, name, source, consent) "
        + "SELECT '+86127' || lpad(i::text, 8, '0'), 'bench ' || i, '" + DISPATCH_SOURCE + "', '{\"webhook\": true}' "
        + "FROM generate_series(0, " + (n - 1) + ") i", "contacts with consent to webhook marketing");
    timedSql(db, "INSERT INTO contact_send_days (contact_id, day, sent) SELECT id, (now() AT TIME ZONE timezone)::date - 3, 1 "
        + "FROM contacts WHERE source = '" + DISPATCH_SOURCE + "'", "touches counted three days ago");
    timedSql(db, "VACUUM (ANALYZE) contacts, contact_send_days", "vacuumed and analyzed");
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The cap places the rounds took: every count newer than the history loaded with the contacts. */
  static final String ROUND_CAP_PLACES = "FROM contact_send_days WHERE day > (SELECT min(day) FROM contact_send_days)";

  /**
   * Untimed, once: the server really applies the policy measured here. A touch to a contact
   * without webhook consent must be suppressed, one to a contact who already had 2 touches
   * today must be deferred by the cap (sent, with {@code --cap none}). Both are deleted afterwards.
   */
  static void checkPolicyIsOn(Connection db, boolean capped) throws Exception {
    try (Statement st = db.createStatement()) {
      st.execute("INSERT INTO contacts (name, source, consent) VALUES "
          + "('no consent', 'bench-check', '{}'), ('at the cap', 'bench-check', '{\"webhook\": true}')");
      st.execute("INSERT INTO contact_send_days (contact_id, day, sent) SELECT id, (now() AT TIME ZONE timezone)::date, 2 "
          + "FROM contacts WHERE source = 'bench-check' AND name = 'at the cap'");
      st.execute("WITH t AS (INSERT INTO touches (touch_key, contact_id, channel, requested_channel, template_key, kind, status) "
          + "SELECT 'check:' || name, id, 'webhook', 'webhook', 'offer', 'marketing', 'queued' FROM contacts WHERE source = 'bench-check' "
          + "RETURNING id, priority) INSERT INTO touch_queue (touch_id, priority) SELECT id, priority FROM t");
    }
    // each touch's result: the history row after its claim ('sending')
    String outcome = "SELECT count(*) || ' ' || string_agg(t.touch_key || ' ' || h.detail, '; ' ORDER BY t.touch_key) "
        + "FROM touches t JOIN touch_history h ON h.touch_id = t.id WHERE t.touch_key LIKE 'check:%' AND h.status <> 'sending'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String seen = scalar(db, outcome);
    while ((seen == null || !seen.startsWith("2 ")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      seen = scalar(db, outcome);
    }
    boolean consentChecked = seen != null && seen.contains("check:no consent suppressed: no channel reaches the contact");
    boolean capChecked = seen != null && (capped
        ? seen.contains("check:at the cap deferred until") && seen.contains("frequency cap reached")
        : seen.contains("check:at the cap HTTP 200"));
    if (!consentChecked || !capChecked) {
      throw new BenchFailure("the server does not apply consent and the frequency cap as configured: " + seen);
    }
    try (Statement st = db.createStatement()) {
      st.execute("DELETE FROM contacts WHERE source = 'bench-check'"); // touches, history, send days cascade
    }
    log("policy check: %s", seen.substring(seen.indexOf(' ') + 1));
  }

  /**
   * Untimed, before both parts of an attempt: the places earlier rounds took are given back (so
   * each touch takes a fresh place, as on a contact's first touch of the day, over the history of
   * three days ago), and one touch per contact is
   * queued in one transaction, due (in the outbox queue) a day ahead, so the dispatcher sends nothing
   * until Siyu's part releases them. The payload is what a purchase-triggered journey step writes:
   * kind, entry key and the triggering event's properties. Then VACUUM, so dead rows of earlier
   * rounds and unset hint bits do not land in the timed part.
   */
  static List<HeldTouch> queueHeldTouches(Connection db, int batch) throws SQLException {
    timedSql(db, "DELETE " + ROUND_CAP_PLACES, "cap places of earlier rounds given back");
    timedSql(db, "WITH queued AS (INSERT INTO touches (touch_key, contact_id, journey_key, process_instance_id, "
        + "activity_id, channel, requested_channel, template_key, payload, kind, status, next_attempt_at) "
        + "SELECT '" + dispatchKeyPrefix(batch) + "' || c.id, c.id, '" + DISPATCH_JOURNEY + "', "
        + "md5('" + batch + ":' || c.id)::uuid::text, 'send_offer', 'webhook', 'webhook', 'double11_offer', "
        + "jsonb_build_object('kind', 'marketing', 'entry_key', 'event:order-' || c.id, 'trigger', jsonb_build_object("
        + "  'order_id', 'SO2026' || lpad(c.id::text, 10, '0'), 'sku', 'SKU-' || (c.id % 997), "
        + "  'category', (ARRAY['beauty', 'coffee', 'apparel', 'home'])[c.id % 4 + 1], 'store', '上海南京西路旗舰店', "
        + "  'amount', ((c.id % 50000) / 100.0)::numeric(10, 2), 'items', 1 + c.id % 3, 'channel', 'miniprogram', "
        + "  'campaign', '双十一返场', 'coupon', 'CP' || upper(substr(md5(c.id::text), 1, 12)))), "
        + "'marketing', 'queued', now() + interval '1 day' "
        + "FROM contacts c WHERE c.source = '" + DISPATCH_SOURCE + "' RETURNING id, priority, next_attempt_at), "
        + "queue AS (INSERT INTO touch_queue (touch_id, priority, due_at) SELECT id, priority, next_attempt_at FROM queued) "
        + "INSERT INTO touch_history (touch_id, status, detail) SELECT id, 'queued', 'enqueued' FROM queued",
        "touches queued, held for a day");
    timedSql(db, "VACUUM (ANALYZE) touches, touch_queue, touch_history, contact_send_days", "vacuumed and analyzed");
    List<HeldTouch> touches = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT touch_key, contact_id, channel, "
        + "template_key, payload::text, journey_key, activity_id FROM touches WHERE status = 'queued'")) {
      while (rs.next()) {
        touches.add(new HeldTouch(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)));
      }
    }
    return touches;
  }

  /** How the touch keys of batch b begin (the contact's id follows): fresh keys for every attempt of a round. */
  static String dispatchKeyPrefix(int batch) {
    return "dispatch:" + batch + ":";
  }

  /**
   * One Siyu part: every held touch released in one UPDATE; timed from its commit until the sink
   * has every touch and every touch is recorded sent. Then checked: each sent once, on its first
   * attempt, with a cap place taken, nothing deferred or suppressed, every signature good.
   */
  Side siyuDispatch(Connection db, Sink sink, int batch) throws Exception {
    Sink.Keys keys = sink.expectKeys(opts.touches);
    long r0 = System.nanoTime();
    int released;
    try (Statement st = db.createStatement()) {
      released = st.executeUpdate("UPDATE touch_queue SET due_at = now()");
    }
    long t0 = System.nanoTime();
    Instant wall = Instant.now();
    if (released != opts.touches) {
      throw new BenchFailure("released " + released + " queued touches, expected " + opts.touches);
    }
    Counters before = Counters.read(db, "postgres");
    awaitSink(keys, t0, "Siyu", () -> dispatchState(db));
    int polls = awaitRecorded(db);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    Counters used = Counters.read(db, "postgres").minus(before).lessCommits(polls);
    checkDispatched(db, keys, batch);
    checkSameBodies(batch, keys, "Siyu");
    String detail = String.format(Locale.ROOT, "released in %.2f s (one UPDATE, not timed); %s; %s",
        (t0 - r0) / 1e9, dispatchStages(db, keys, batch, wall, seconds), used.per(opts.touches, "touch"));
    log("  Siyu: %,d touches sent in %.2f s = %,.0f touches/s; %s", opts.touches, seconds, opts.touches / seconds, detail);
    return new Side(seconds, detail);
  }

  /** One plain part: the same bodies posted by the plain client, timed until every one is answered. */
  Side plainDispatch(PlainClient plain, Sink sink, int batch) throws Exception {
    Sink.Keys keys = sink.expectKeys(opts.touches);
    long t0 = System.nanoTime();
    int refused = plain.postAll(held);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (refused > 0) {
      throw new BenchFailure("the plain client's part: " + refused + " calls failed or were answered other than 2xx");
    }
    awaitSink(keys, t0, "plain client", () -> "yet every call was answered 2xx");
    String problem = keys.problems(dispatchKeyPrefix(batch));
    if (problem != null) {
      throw new BenchFailure("the plain client's part: " + problem);
    }
    checkSameBodies(batch, keys, "the plain client");
    String detail = String.format(Locale.ROOT, "%,d bodies (%.0f bytes on average) posted, each answered 200 once",
        opts.touches, (double) keys.bytes() / opts.touches);
    log("  plain client: %,d touches posted in %.2f s = %,.0f touches/s; %s", opts.touches, seconds, opts.touches / seconds, detail);
    return new Side(seconds, detail);
  }

  /** Until the sink has every key; fails when none arrived for a minute (a touch deferred, suppressed or dead never does). */
  static void awaitSink(Sink.Keys keys, long t0, String who, java.util.concurrent.Callable<String> state) throws Exception {
    int last = -1;
    long lastChange = System.nanoTime();
    while (!keys.await(5, TimeUnit.SECONDS)) {
      int now = keys.distinct();
      log("  %s: %,d of %,d touches at the sink after %.0f s", who, now, keys.expected(), (System.nanoTime() - t0) / 1e9);
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
        throw new BenchFailure(who + ": no touch reached the sink for 60 s, " + now + " of " + keys.expected()
            + " there; " + state.call());
      }
    }
  }

  /**
   * After the sink has them all: until no touch is queued or sending (their results are recorded
   * just after the answers), polling the outbox queue every 20 ms. Answers the polls.
   */
  static int awaitRecorded(Connection db) throws Exception {
    String open = "SELECT count(*) FROM touch_queue";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int polls = 1;
    while (!scalar(db, open).equals("0")) {
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the sink has every touch, but some were not recorded sent within 60 s: " + dispatchState(db));
      }
      Thread.sleep(20);
      polls++;
    }
    return polls;
  }

  /** For a part that did not finish or check out: the outbox by status, and the last error. */
  static String dispatchState(Connection db) {
    try {
      return scalar(db, "SELECT json_build_object("
          + "'touches', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM touches GROUP BY status) s), "
          + "'deferred', (SELECT count(*) FROM touch_history WHERE detail LIKE 'deferred%'), "
          + "'last_error', (SELECT last_error FROM touches WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1))::text");
    } catch (SQLException e) {
      return "(state unknown: " + e.getMessage() + ")";
    }
  }

  /**
   * Every touch of the batch sent exactly once: status sent on attempt 1 on its own channel, no
   * history rows but queued and the attempt's sent (a deferral, suppression or retry adds rows), one cap
   * place per touch, and at the sink each key once with a good signature.
   */
  void checkDispatched(Connection db, Sink.Keys keys, int batch) throws SQLException {
    String problem = keys.problems(dispatchKeyPrefix(batch));
    if (problem != null) {
      throw new BenchFailure("Siyu's part at the sink: " + problem);
    }
    try (PreparedStatement st = db.prepareStatement("SELECT count(*), "
        + "count(*) FILTER (WHERE status = 'sent' AND attempts = 1 AND channel = 'webhook'), "
        + "(SELECT count(*) FROM touch_history h JOIN touches x ON x.id = h.touch_id WHERE x.touch_key LIKE ?), "
        + "(SELECT coalesce(sum(sent), 0) " + ROUND_CAP_PLACES + ") FROM touches WHERE touch_key LIKE ?")) {
      String like = dispatchKeyPrefix(batch) + "%";
      st.setString(1, like);
      st.setString(2, like);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long n = opts.touches;
        if (rs.getLong(1) != n || rs.getLong(2) != n || rs.getLong(3) != 2 * n || rs.getLong(4) != (opts.capped() ? n : 0)) {
          throw new BenchFailure(String.format(Locale.ROOT, "expected %d touches, all sent on attempt 1 with 2 history "
              + "rows each and a cap place each; found %d touches, %d sent so, %d history rows, %d cap places; %s",
              n, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), dispatchState(db)));
        }
      }
    }
  }

  /** The two parts of a batch must post the same bodies (the same bytes, whatever the order). */
  void checkSameBodies(int batch, Sink.Keys keys, String who) {
    List<Long> mine = List.of(keys.bytes(), keys.digest());
    List<Long> first = bodiesByBatch.putIfAbsent(batch, mine);
    if (first != null && !first.equals(mine)) {
      throw new BenchFailure(who + " posted other bodies than the other side of the round: " + first + " vs " + mine
          + " (bytes, CRC32 sum)");
    }
  }

  /**
   * Where Siyu's time went, from its own timestamps (each touch's 'sent' history row carries the
   * claim's transaction start as started_at, and the record's as at) and the sink's arrival times: how
   * many claims and records there were and how many touches each took, per-touch medians of
   * claim → at the sink (the plan with its cap places, the wait for a send slot, signing, the POST)
   * and at the sink → recorded (the answer and the wait for a record), and how many touches were
   * held between claim and record on average (claim → recorded summed over the touches, over the
   * part's time: the sends in flight plus the claimed touches waiting for a slot).
   */
  String dispatchStages(Connection db, Sink.Keys keys, int batch, Instant released, double seconds) throws SQLException {
    java.util.Set<Double> claims = new java.util.HashSet<>();
    java.util.Set<Double> records = new java.util.HashSet<>();
    List<Double> toSink = new ArrayList<>();
    List<Double> toRecord = new ArrayList<>();
    double busy = 0;
    double first = Double.MAX_VALUE;
    double last = 0;
    try (PreparedStatement st = db.prepareStatement("SELECT t.touch_key, extract(epoch FROM s.started_at), "
        + "extract(epoch FROM s.at) FROM touches t "
        + "JOIN touch_history s ON s.touch_id = t.id AND s.status = 'sent' WHERE t.touch_key LIKE ?")) {
      st.setString(1, dispatchKeyPrefix(batch) + "%");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          double claimed = rs.getDouble(2);
          double sent = rs.getDouble(3);
          double arrived = keys.arrivedSeconds(rs.getString(1));
          claims.add(claimed);
          records.add(sent);
          toSink.add((arrived - claimed) * 1000);
          toRecord.add((sent - arrived) * 1000);
          busy += sent - claimed;
          first = Math.min(first, claimed);
          last = Math.max(last, sent);
        }
      }
    }
    double origin = released.toEpochMilli() / 1e3;
    return String.format(Locale.ROOT, "first claim at +%.2f s, last recorded at +%.2f s; %,d claims (%.1f touches each), "
        + "%,d records (%.1f each); median claim→sink %.1f ms, sink→recorded %.1f ms; %.1f touches held between claim "
        + "and record on average (%d send slots)",
        first - origin, last - origin, claims.size(), (double) opts.touches / claims.size(), records.size(),
        (double) opts.touches / records.size(), median(toSink), median(toRecord), busy / seconds, opts.concurrency);
  }

  // ---------------------------------------------------------------------------------------------
  // a shared, noisy machine

  /** Above this share of all cores busy while both sides idle, something else is using the machine. */
  static final double BUSY = 0.4;

  /**
   * Another engineer's SiyuBench (e.g. the 1M recompute), or anything else keeping the cores busy
   * (a server run by hand, a test build), would take a share of whichever part it overlaps. Before
   * every timed part: wait for autovacuum, then while SiyuBench runs or the cores are more than
   * {@value #BUSY} busy, wait (polling every 30 s, at most 60 minutes, then go on and note it).
   */
  void awaitQuiet(Connection db, String part) throws Exception {
    long t0 = System.nanoTime();
    boolean waited = false;
    while (true) {
      awaitAutovacuum(db);
      boolean bench = otherBenchRunning();
      double busy = cpuBusy();
      if (!bench && busy <= BUSY) {
        break;
      }
      String why = bench ? "another benchmark (SiyuBench) is running" : String.format(Locale.ROOT,
          "the cores are %.0f%% busy with both sides idle (load average %s)", busy * 100, loadAverage());
      if ((System.nanoTime() - t0) / 6e10 >= 60) {
        report.notes.add(String.format(Locale.ROOT, "%s after 60 minutes of waiting: %s was measured anyway", why, part));
        log("  %s after 60 minutes: measuring %s anyway", why, part);
        return;
      }
      if (!waited) {
        log("  %s: waiting before %s (every 30 s, at most 60 minutes)", why, part);
      }
      waited = true;
      Thread.sleep(30_000);
    }
    if (waited) {
      report.notes.add(String.format(Locale.ROOT, "waited %.0f s for the machine to be quiet (no SiyuBench, cores idle) before %s",
          (System.nanoTime() - t0) / 1e9, part));
    }
    log("  %s: load average %s", part, loadAverage());
  }

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

  static boolean otherBenchRunning() {
    try {
      Process p = new ProcessBuilder("pgrep", "-f", "SiyuBench").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      // no pgrep: the same question through the process table
      return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().map(c -> c.contains("SiyuBench")).orElse(false));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    }
  }

  static void awaitAutovacuum(Connection db) throws SQLException, InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.MINUTES.toNanos(2);
    String busy = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND state = 'active'";
    while (!scalar(db, busy).equals("0") && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    double waited = (System.nanoTime() - t0) / 1e9;
    if (waited >= 1) {
      log("  waited %.0f s for autovacuum to finish", waited);
    }
  }

  /** Above this share of all cores used by other processes during a part, its round is run again. */
  static final double DISTURBED = 0.25;
  static final int ATTEMPTS = 3;

  /**
   * CPU time used while a part runs, by whose processes: the server JVM, its PostgreSQL (the
   * postmaster named in postmaster.pid and its children), the harness (this JVM, with the sink
   * and the bare engine or plain client, and its children), and processes that are not this
   * run's at all. Sampled from /proc every second, so a process that lives less than a second
   * between samples is missed; a benchmark is not.
   */
  static final class OtherCpu {
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

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // what a round cost the database

  /** Commits of one database and WAL written (the whole server: only one side works at a time). */
  record Counters(long commits, long walBytes) {
    static Counters read(Connection db, String database) throws SQLException {
      try (PreparedStatement st = db.prepareStatement(
          "SELECT xact_commit, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database WHERE datname = ?")) {
        st.setString(1, database);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return new Counters(rs.getLong(1), rs.getLong(2));
        }
      }
    }

    Counters minus(Counters before) {
      return new Counters(commits - before.commits, walBytes - before.walBytes);
    }

    /** The harness's own polls are commits too. */
    Counters lessCommits(long n) {
      return new Counters(commits - n, walBytes);
    }

    String per(long n, String unit) {
      return String.format(Locale.ROOT, "%.1f commits and %.1f kB WAL per %s", (double) commits / n, walBytes / 1024.0 / n, unit);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the loopback webhook sink

  /**
   * Receives the webhook channel's POSTs. For the journeys: counts, per contact, which of the
   * welcome's four touches have arrived (a retry or duplicate changes nothing); the round is done
   * when the expected number of contacts have all four. Other touches (birthday) are answered and
   * ignored. For the dispatch scenario, once {@link #expectKeys} was called: counts by
   * Idempotency-Key instead ({@link Keys}).
   */
  static final class Sink {
    private static final int ALL = (1 << WELCOME_TEMPLATES.size()) - 1;
    private final HttpServer server;
    private final byte[] secret;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private volatile Map<Long, Integer> seen = new ConcurrentHashMap<>();
    private final AtomicInteger complete = new AtomicInteger();
    private volatile int expected;
    private volatile CountDownLatch done = new CountDownLatch(0);
    private volatile long doneNanos;
    /** The dispatch part under way; null while counting welcome touches. */
    private volatile Keys keys;

    private Sink(HttpServer server, String secret) {
      this.server = server;
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    static Sink start(String secret) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
      Sink sink = new Sink(server, secret);
      server.createContext("/touches", sink::handle);
      server.setExecutor(sink.threads);
      server.start();
      return sink;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/touches";
    }

    void expect(int contacts) {
      keys = null;
      seen = new ConcurrentHashMap<>();
      complete.set(0);
      expected = contacts;
      done = new CountDownLatch(1);
    }

    boolean await(long time, TimeUnit unit) throws InterruptedException {
      return done.await(time, unit);
    }

    int complete() {
      return complete.get();
    }

    long doneNanos() {
      return doneNanos;
    }

    /** From now on until the next call, counts POSTs by Idempotency-Key, for a part of {@code n} touches. */
    Keys expectKeys(int n) {
      Keys k = new Keys(n, secret);
      keys = k;
      return k;
    }

    private void handle(HttpExchange ex) throws IOException {
      try {
        byte[] body = ex.getRequestBody().readAllBytes();
        Keys k = keys;
        if (k != null) {
          k.record(ex.getRequestHeaders(), body);
        } else if (!recordWelcome(body)) {
          ex.sendResponseHeaders(400, -1);
          return;
        }
        ex.sendResponseHeaders(200, -1);
      } finally {
        ex.close();
      }
    }

    /** False when the body is not JSON. */
    private boolean recordWelcome(byte[] body) {
      JsonNode touch;
      try {
        touch = JSON.readTree(body);
      } catch (IOException e) {
        return false;
      }
      int bit = WELCOME_TEMPLATES.indexOf(touch.path("template_key").asText());
      if (bit >= 0) {
        record(touch.path("contact_id").asLong(), 1 << bit);
      }
      return true;
    }

    private void record(long contact, int bit) {
      int[] before = new int[1];
      int after = seen.merge(contact, bit, (old, b) -> {
        before[0] = old;
        return old | b;
      });
      if (after == ALL && before[0] != ALL && complete.incrementAndGet() == expected) {
        doneNanos = System.nanoTime();
        done.countDown();
      }
    }

    void stop() {
      server.stop(0);
      threads.shutdownNow();
    }

    /**
     * One dispatch part as the sink sees it: each POST's Idempotency-Key (when it first came, how
     * often it came again), its signature checked with the webhook secret, and the bodies' bytes
     * and order-independent digest (a sum of CRC32s), so the two sides of a round can be shown to
     * have posted the same bodies. Done at {@code expected} distinct keys.
     */
    static final class Keys {
      private final int expected;
      private final byte[] secret;
      private final Map<String, Long> firstMicros = new ConcurrentHashMap<>();
      private final AtomicInteger distinct = new AtomicInteger();
      private final AtomicInteger repeats = new AtomicInteger();
      private final AtomicInteger invalid = new AtomicInteger();
      private final AtomicLong bytes = new AtomicLong();
      private final AtomicLong digest = new AtomicLong();
      private final CountDownLatch done = new CountDownLatch(1);

      Keys(int expected, byte[] secret) {
        this.expected = expected;
        this.secret = secret;
      }

      void record(Headers headers, byte[] body) {
        Instant now = Instant.now();
        String timestamp = headers.getFirst("X-Siyu-Timestamp");
        String signature = headers.getFirst("X-Siyu-Signature");
        String key = headers.getFirst("Idempotency-Key");
        if (key == null || timestamp == null
            || !("sha256=" + io.siyu.web.SiyuSignature.sign(secret, timestamp, Buffer.buffer(body))).equals(signature)) {
          invalid.incrementAndGet();
        }
        bytes.addAndGet(body.length);
        CRC32 crc = new CRC32();
        crc.update(body);
        digest.addAndGet(crc.getValue());
        if (key == null || firstMicros.putIfAbsent(key, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000) != null) {
          repeats.incrementAndGet();
        } else if (distinct.incrementAndGet() == expected) {
          done.countDown();
        }
      }

      boolean await(long time, TimeUnit unit) throws InterruptedException {
        return done.await(time, unit);
      }

      int expected() {
        return expected;
      }

      int distinct() {
        return distinct.get();
      }

      long bytes() {
        return bytes.get();
      }

      long digest() {
        return digest.get();
      }

      /** When the key first arrived, in epoch seconds (NaN if it never did). */
      double arrivedSeconds(String key) {
        Long micros = firstMicros.get(key);
        return micros == null ? Double.NaN : micros / 1e6;
      }

      /** What is wrong with the part, or null: every key once, all of the batch, all signed right. */
      String problems(String keyPrefix) {
        long foreign = firstMicros.keySet().stream().filter(k -> !k.startsWith(keyPrefix)).count();
        if (distinct.get() == expected && repeats.get() == 0 && invalid.get() == 0 && foreign == 0) {
          return null;
        }
        return String.format(Locale.ROOT, "the sink got %d distinct keys of %d expected, %d repeats, %d without a key "
            + "or a good signature, %d keys not of this batch", distinct.get(), expected, repeats.get(), invalid.get(), foreign);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the plain client (the dispatch scenario's baseline)

  /** A queued touch as the plain client posts it. */
  record HeldTouch(String touchKey, long contactId, String channel, String templateKey, String payload,
      String journeyKey, String activityId) {
    /**
     * The body WebhookChannel.body builds: the same fields in the same order, the payload parsed
     * from its JSON text as Siyu's claim does (the sink checks that both sides' bodies are equal).
     */
    JsonObject body() {
      return new JsonObject().put("touch_key", touchKey).put("contact_id", contactId).put("channel", channel)
          .put("template_key", templateKey).put("payload", new JsonObject(payload)).put("journey_key", journeyKey)
          .put("activity_id", activityId);
    }
  }

  /**
   * The baseline: a plain Vert.x web client in the harness's JVM doing what the webhook channel
   * does for each touch — build the JSON body, sign it with SiyuSignature.sign, POST it with the
   * same headers and client options — with as many in flight as the dispatcher's send slots, and
   * nothing else: no database, no policy.
   */
  static final class PlainClient implements AutoCloseable {
    /** The webhook channel's default timeout (SIYU_WEBHOOK_TIMEOUT_MS). */
    private static final int TIMEOUT_MS = 5000;
    private final Vertx vertx = Vertx.vertx();
    private final io.vertx.core.Context context = vertx.getOrCreateContext();
    private final WebClient client;
    private final String url;
    private final byte[] secret;
    private final int concurrency;

    PlainClient(String url, String secret, int concurrency) {
      this.url = url;
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
      this.concurrency = concurrency;
      // as WebhookChannel.start: one connection per concurrent send
      this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS).setFollowRedirects(false)
          .setUserAgent("Siyu-Webhook"), new PoolOptions().setHttp1MaxSize(concurrency));
    }

    /** Posts every touch, {@code concurrency} at a time, and waits for all answers; answers how many were not 2xx. */
    int postAll(List<HeldTouch> touches) throws Exception {
      Promise<Integer> done = Promise.promise();
      context.runOnContext(v -> new Run(touches, done).start());
      return done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    }

    /** One pass over the touches, all on one context (as the dispatcher's sends), so no locks. */
    private final class Run {
      private final List<HeldTouch> touches;
      private final Promise<Integer> done;
      private int next;
      private int answered;
      private int refused;

      Run(List<HeldTouch> touches, Promise<Integer> done) {
        this.touches = touches;
        this.done = done;
      }

      void start() {
        for (int i = 0; i < concurrency; i++) {
          sendNext();
        }
      }

      private void sendNext() {
        if (next == touches.size()) {
          return;
        }
        HeldTouch t = touches.get(next++);
        Buffer body = t.body().toBuffer();
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        client.postAbs(url).timeout(TIMEOUT_MS)
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("X-Siyu-Timestamp", timestamp)
            .putHeader("Idempotency-Key", t.touchKey())
            .putHeader("X-Siyu-Signature", "sha256=" + io.siyu.web.SiyuSignature.sign(secret, timestamp, body))
            .sendBuffer(body).onComplete(ar -> {
              if (ar.failed() || ar.result().statusCode() / 100 != 2) {
                refused++;
              }
              if (++answered == touches.size()) {
                done.complete(refused);
              } else {
                sendNext();
              }
            });
      }
    }

    @Override
    public void close() {
      client.close();
      vertx.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the bare engine

  /**
   * Camunda with the configuration Siyu's JourneyEngine uses (activity history, UUID ids, the same
   * job executor settings) on its own database of the same PostgreSQL server, so Siyu's job executor
   * never sees its jobs, and with no-op beans under the palette's names: the engine's share of a
   * journey and nothing else. The one exception to "no-op": the send step notes, once its
   * transaction has committed, that a welcome instance has sent its last touch and so ended.
   */
  static final class BareEngine implements AutoCloseable {
    private final HikariDataSource pool;
    private final ProcessEngine engine;
    private final LastTouch lastTouch;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private BareEngine(HikariDataSource pool, ProcessEngine engine, LastTouch lastTouch) {
      this.pool = pool;
      this.engine = engine;
      this.lastTouch = lastTouch;
    }

    static BareEngine start(Target target, long acquisitionMs) throws SQLException {
      long t0 = System.nanoTime();
      try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + BARE_DB);
      }
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(target.jdbcUrl(BARE_DB));
      hc.setUsername("postgres");
      // Siyu's JDBC pool: half of SIYU_DB_POOL_SIZE (16), at least 2
      hc.setMaximumPoolSize(8);
      hc.setMinimumIdle(1);
      hc.setPoolName("bench-bare");
      HikariDataSource pool = new HikariDataSource(hc);
      LastTouch lastTouch = new LastTouch();
      StandaloneProcessEngineConfiguration c = JourneyEngine.configuration(pool, "bench-bare", beans(lastTouch),
          acquisitionMs, true);
      // the engine creates its own tables here (Siyu's come from a migration)
      c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
      ProcessEngine engine = c.buildProcessEngine();
      log("bare engine up on database %s in %.1f s (job acquisition max wait %d ms)", BARE_DB,
          (System.nanoTime() - t0) / 1e9, acquisitionMs);
      return new BareEngine(pool, engine, lastTouch);
    }

    /** Every palette task a no-op; the send-window timer's bean says "open now". */
    private static Map<Object, Object> beans(LastTouch lastTouch) {
      Map<Object, Object> beans = new HashMap<>();
      JavaDelegate noop = execution -> { };
      Palette.TASKS.keySet().forEach(name -> beans.put(name, noop));
      beans.put("sendMessage", lastTouch);
      beans.put("sendWindow", new AlwaysOpen());
      return beans;
    }

    void deploy(String key, String xml) {
      engine.getRepositoryService().createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
    }

    /** Starts n instances of {@code key} (business keys prefix + i) from {@code threads} threads; returns when all have. */
    void startAll(String key, String prefix, int n, int threads, IntFunction<Map<String, Object>> variables) throws Exception {
      RuntimeService runtime = engine.getRuntimeService();
      parallel(n, threads, i -> runtime.startProcessInstanceByKey(key, prefix + i, variables.apply(i)));
    }

    void expectEnds(int n) {
      lastTouch.expect(n);
    }

    boolean awaitEnds(long time, TimeUnit unit) throws InterruptedException {
      return lastTouch.done.await(time, unit);
    }

    int ended() {
      return lastTouch.count.get();
    }

    long endedNanos() {
      return lastTouch.doneNanos;
    }

    /** Untimed check and diagnosis: every instance of the round has ended; when the last did, and the median run. */
    String history(String prefix, int n, Instant t0) throws SQLException {
      // Camunda writes timestamps without zone in the JVM's zone: compare them in the same zone
      try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(
          "SELECT count(*) FILTER (WHERE end_time_ IS NOT NULL), max(end_time_), "
              + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM end_time_ - start_time_)) "
              + "FROM act_hi_procinst WHERE business_key_ LIKE ?")) {
        st.setString(1, prefix + "%");
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getLong(1) != n) {
            throw new BenchFailure("the bare engine ended " + rs.getLong(1) + " of " + n + " instances");
          }
          double last = (rs.getTimestamp(2).getTime() - t0.toEpochMilli()) / 1e3;
          return String.format(Locale.ROOT, "ended by +%.1f s (median instance start→end %.2f s)", last, rs.getDouble(3));
        }
      }
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return; // closed at the end of the run, and again by the shutdown hook
      }
      try {
        engine.close();
      } finally {
        pool.close();
      }
    }
  }

  /** No-op send; for the welcome's last touch it counts the instance as ended once its transaction commits. */
  public static final class LastTouch implements JavaDelegate {
    final AtomicInteger count = new AtomicInteger();
    volatile int expected;
    volatile CountDownLatch done = new CountDownLatch(0);
    volatile long doneNanos;

    void expect(int n) {
      count.set(0);
      expected = n;
      done = new CountDownLatch(1);
    }

    @Override
    public void execute(DelegateExecution execution) {
      // the send step runs in the same transaction as the instance's end: its commit is the end
      if ("welcome_day7".equals(execution.getVariableLocal("template"))) {
        Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED, ctx -> {
          if (count.incrementAndGet() == expected) {
            doneNanos = System.nanoTime();
            done.countDown();
          }
        });
      }
    }
  }

  /** The send-window wait's bean: {@code ${sendWindow.opens(execution)}}, always open. */
  public static final class AlwaysOpen {
    public Date opens(DelegateExecution execution) {
      return ClockUtil.getCurrentTime();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the server under test and its database

  /** Where the server answers and where its PostgreSQL listens (which also holds the bare engine's database). */
  record Target(String baseUrl, String token, int dbPort, long serverPid, Path dataDir) {
    String jdbcUrl(String database) {
      return "jdbc:postgresql://localhost:" + dbPort + "/" + database;
    }

    Connection connect(String database) throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", "postgres");
      p.setProperty("ApplicationName", "siyu-jbench");
      return DriverManager.getConnection(jdbcUrl(database), p);
    }
  }

  /**
   * A server the harness starts itself (as SiyuBench does), with an embedded database in the temp
   * dir. Always started here: the webhook sink and the journeys directory are part of its settings.
   */
  static final class ChildServer {
    static Target start(Path work, Cleanup cleanup, Map<String, String> extraEnv) throws Exception {
      int httpPort = freePort();
      int dbPort = freePort();
      String token = "bench-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
      Path log = work.resolve("server.log");
      Path data = Files.createDirectories(work.resolve("data"));

      ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-jar", serverJar().toString());
      Map<String, String> env = pb.environment();
      // a clean slate: no database or port the caller's environment might point at
      env.keySet().removeIf(k -> k.startsWith("SIYU_"));
      env.put("SIYU_HTTP_PORT", Integer.toString(httpPort));
      env.put("SIYU_HTTP_HOST", "127.0.0.1");
      env.put("SIYU_DATA_DIR", data.toString());
      env.put("SIYU_EMBEDDED_DB_PORT", Integer.toString(dbPort));
      env.put("SIYU_ADMIN_TOKEN", token);
      env.putAll(extraEnv);
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      log("starting the server: %s (log: %s)", String.join(" ", pb.command()), log);
      extraEnv.forEach((k, v) -> log("  %s=%s", k, k.contains("SECRET") ? "(random)" : v));
      Process child = pb.start();
      cleanup.child(child, log);

      String base = "http://127.0.0.1:" + httpPort;
      waitForHealth(base, child);
      return new Target(base, token, dbPort, child.pid(), data);
    }

    static void waitForHealth(String base, Process child) throws InterruptedException {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build();
      long t0 = System.nanoTime();
      long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        if (!child.isAlive()) {
          throw new BenchFailure("the server exited with code " + child.exitValue() + " before it was healthy");
        }
        try {
          if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            log("server healthy at %s after %.1f s", base, (System.nanoTime() - t0) / 1e9);
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      throw new BenchFailure("GET /health did not answer 200 within 120 s");
    }

    static String javaBinary() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The jar the harness was launched with is the server to run, so both always match. */
    static Path serverJar() {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
          return Path.of(entry).toAbsolutePath();
        }
      }
      throw new BenchFailure("no server jar on the classpath; run with -cp target/siyu.jar");
    }

    static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        s.setReuseAddress(true);
        return s.getLocalPort();
      }
    }
  }

  /**
   * Stops what the harness started and removes the temp dir, from a shutdown hook so it happens on
   * failure and on Ctrl-C too. On failure the server log is moved out of the temp dir first.
   */
  static final class Cleanup {
    private final Path work;
    private final boolean keep;
    private final List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /** SIGTERM lets the server stop its embedded PostgreSQL itself; its descendants are listed first. */
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
        Path saved = Files.createTempFile("siyu-jbench-server-", ".log");
        Files.move(serverLog, saved, StandardCopyOption.REPLACE_EXISTING);
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

  // ---------------------------------------------------------------------------------------------
  // HTTP

  /** The few API calls the scenarios make, with the bearer token and problem+json errors surfaced. */
  static final class Api {
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    Api(String base, String token) {
      this.base = base;
      this.token = token;
    }

    JsonNode post(String path, String body, int expected) {
      return send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), expected);
    }

    /** A journey upload: the BPMN file is the body. */
    JsonNode postXml(String path, String xml, int expected) {
      return send(request(path).header("Content-Type", "application/xml")
          .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), expected);
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest req, int expected) {
      HttpResponse<String> r;
      try {
        r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new BenchFailure(req.method() + " " + req.uri() + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchFailure("interrupted");
      }
      if (r.statusCode() != expected) {
        String body = r.body() == null ? "" : r.body();
        throw new BenchFailure(String.format(Locale.ROOT, "%s %s answered %d (expected %d): %s", req.method(),
            req.uri().getPath(), r.statusCode(), expected, body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
      }
      try {
        return JSON.readTree(r.body());
      } catch (IOException e) {
        throw new BenchFailure(req.method() + " " + req.uri().getPath() + " answered unparsable JSON: " + r.body());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // results

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
      md.append("----- paste into bench/RESULTS.md -----\n");
      boolean dispatching = o.scenario.equals("dispatch");
      md.append("### ").append(LocalDate.now(java.time.ZoneOffset.UTC))
          .append(dispatching ? " — dispatcher throughput" : " — journeys: " + o.scenario).append("\n\n");
      md.append("- command: `java -cp target/siyu.jar bench/JourneyBench.java ").append(String.join(" ", o.commandArgs())).append("`\n");
      md.append("- commit: ").append(gitDescribe()).append("\n");
      md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
          .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append(", Java ").append(System.getProperty("java.version")).append("\n");
      md.append("- database: ").append(database.replaceAll(" on .*", "")).append(dispatching ? " (embedded)\n\n"
          : " (embedded; the bare engine on database `" + BARE_DB + "` of the same server)\n\n");
      md.append("| scenario | Siyu | baseline (same run) | ratio | goal | result |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Round r : welcome) {
        md.append(String.format(Locale.ROOT, "| welcome, round %d (%,d contacts × 4 touches) | %.1f instances/s (%.2f s) | bare engine %.1f instances/s (%.2f s) | %.2f | (in the median) | — |\n",
            r.number(), o.contacts, o.contacts / r.siyu().seconds(), r.siyu().seconds(), o.contacts / r.bare().seconds(),
            r.bare().seconds(), rateRatio(r)));
      }
      if (!welcome.isEmpty()) {
        md.append(String.format(Locale.ROOT, "| welcome throughput | median of %d | | %.2f | ≥ %.1f | %s |\n",
            welcome.size(), welcomeRatio(), WELCOME_GOAL, welcomeRatio() >= WELCOME_GOAL ? "pass" : "FAIL"));
      }
      for (Round r : birthday) {
        md.append(String.format(Locale.ROOT, "| birthday scan, round %d (%,d due of %,d contacts) | %.2f s | bare engine %.2f s | %.2f | (in the median) | — |\n",
            r.number(), due, o.rows, r.siyu().seconds(), r.bare().seconds(), birthdayRatio(r)));
      }
      if (!birthday.isEmpty()) {
        md.append(String.format(Locale.ROOT, "| birthday scan | median of %d | | %.2f | ≤ %.1f | %s |\n",
            birthday.size(), birthdayRatio(), BIRTHDAY_GOAL, birthdayRatio() <= BIRTHDAY_GOAL ? "pass" : "FAIL"));
      }
      for (Round r : dispatch) {
        md.append(String.format(Locale.ROOT, "| dispatch, round %d (%,d touches) | %,.0f touches/s (%.2f s) | plain client %,.0f touches/s (%.2f s) | %.2f | (in the median) | — |\n",
            r.number(), o.touches, o.touches / r.siyu().seconds(), r.siyu().seconds(), o.touches / r.bare().seconds(),
            r.bare().seconds(), rateRatio(r)));
      }
      if (!dispatch.isEmpty()) {
        double ratio = medianRate(dispatch);
        md.append(String.format(Locale.ROOT, "| dispatcher throughput | median of %d | | %.2f | ≥ %.1f | %s |\n",
            dispatch.size(), ratio, DISPATCH_GOAL, ratio >= DISPATCH_GOAL ? "pass" : "FAIL"));
      }
      details(md);
      md.append("----- end -----");
      return md.toString();
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

    /** Best effort: the commit measured, marked dirty when the tree has edits. */
    static String gitDescribe() {
      try {
        Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 && !out.isEmpty() ? "`" + out + "`" : "unknown";
      } catch (IOException | InterruptedException e) {
        return "unknown";
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // command line

  static final class Options {
    static final String USAGE = """
        usage: java -cp target/siyu.jar bench/JourneyBench.java [welcome|birthday|all|dispatch] [options]

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
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "welcome", "birthday", "all", "dispatch" -> o.scenario = a;
          case "--contacts" -> o.contacts = positive(a, value(args, ++i, a));
          case "--rows" -> o.rows = positive(a, value(args, ++i, a));
          case "--rounds" -> o.rounds = positive(a, value(args, ++i, a));
          case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(value(args, ++i, a)));
          case "--threads" -> o.threads = positive(a, value(args, ++i, a));
          case "--touches" -> o.touches = positive(a, value(args, ++i, a));
          case "--concurrency" -> o.concurrency = positive(a, value(args, ++i, a));
          case "--cap" -> o.cap = value(args, ++i, a);
          case "--acquisition-ms" -> o.acquisitionMs = positive(a, value(args, ++i, a));
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
      return a;
    }

    static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    static int positive(String option, String v) {
      try {
        int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs a positive whole number, got '" + v + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // small helpers

  interface Task {
    Object run(int i) throws Exception;
  }

  /** Runs task(0..n-1) on {@code threads} threads and waits for all; the first failure fails the run. */
  static void parallel(int n, int threads, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> task.run(k)));
      }
      for (Future<Object> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof BenchFailure b) {
            throw b;
          }
          throw new BenchFailure("a concurrent call failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void timedSql(Connection db, String sql, String what) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement st = db.createStatement()) {
      st.execute(sql);
      int n = st.getUpdateCount();
      log("  %s%s in %.1f s", n > 0 ? String.format(Locale.ROOT, "%,d ", n) : "", what, (System.nanoTime() - t0) / 1e9);
    }
  }

  static long count(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String scalar(Connection db, String sql) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[(sorted.length - 1) / 2];
  }

  static void log(String format, Object... args) {
    System.out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
  }

  /** A failed check: reported in one line, no stack trace. */
  static final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
      super(message);
    }
  }
}
