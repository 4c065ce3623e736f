import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Siyu's benchmark harness. One file, run with the single-file source launcher against the
 * server's shaded jar (which brings the PostgreSQL driver and Jackson):
 *
 * <pre>java -cp target/siyu.jar bench/SiyuBench.java [import|segment|all|recompute] [--rows N] ...</pre>
 *
 * Every number it reports is a ratio of two things measured side by side in the same run on the
 * same database, because the machine is shared and noisy: absolute times from different runs are
 * not comparable, ratios taken under the same conditions are. See bench/README.md.
 */
public final class SiyuBench {

  static final ObjectMapper JSON = new ObjectMapper();

  // goals from the "Foundation" issue
  static final double IMPORT_GOAL = 0.5;   // import rows/s >= 0.5 x COPY rows/s
  static final double SEGMENT_GOAL = 1.5;  // API median <= 1.5 x hand-written SQL median
  // goal from the "Loyalty" issue
  static final double RECOMPUTE_GOAL = 5.0; // a daily recompute <= 5 x a full scan of events (median of the days)

  static final String CSV_HEADER =
      "mobile,email,name,gender,birthday,lifecycle_stage,attributes.level,attributes.city,consent.sms";

  /** The baseline table mirrors the CSV column by column, since COPY maps header columns by position. */
  static final String COPY_TABLE_DDL = """
      CREATE TABLE bench_copy_contacts (
        mobile          text,
        email           text,
        name            text,
        gender          text,
        birthday        date,
        lifecycle_stage text,
        level           integer,
        city            text,
        consent_sms     boolean
      )""";

  static final String HAND_WRITTEN_COUNT = """
      SELECT count(*) FROM contacts c
        JOIN contact_tags t ON t.contact_id = c.id AND t.tag_id = ?
       WHERE (c.attributes->>'level')::numeric BETWEEN 3 AND 7
         AND c.lifecycle_stage = 'growing'""";

  public static void main(String[] args) {
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
      exit = new SiyuBench(opts).run();
    } catch (BenchFailure e) {
      System.err.println();
      // a Ctrl-C stops the server under the running scenario, which then fails for that reason
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
  private final Report report = new Report();

  SiyuBench(Options opts) {
    this.opts = opts;
  }

  int run() throws Exception {
    Path work = Files.createTempDirectory("siyu-bench-");
    Cleanup cleanup = new Cleanup(work, opts.keep);
    Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, "siyu-bench-cleanup"));
    try {
      measure(work, cleanup);
    } catch (Exception e) {
      cleanup.failed();
      throw e;
    }
    System.out.println();
    System.out.println(report.markdown(opts));
    return 0;
  }

  /**
   * Settings for the server the harness starts. The recompute scenario starts it without journeys
   * (an empty journeys directory): the shipped dormant journey enters every contact whose
   * lifecycle.changed event says dormant, and after the backfill's million stage changes the
   * engine would work through its inbox for the rest of the run, on the same two cores as the
   * measurements. The inbox trigger still fires on every event the recompute writes.
   */
  Map<String, String> serverEnv(Path work) throws IOException {
    if (!opts.scenario.equals("recompute")) {
      return Map.of();
    }
    return Map.of("SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("no-journeys")).toString());
  }

  private void measure(Path work, Cleanup cleanup) throws Exception {
    Target target = Target.fromEnv();
    if (target == null) {
      target = ChildServer.start(work, cleanup, serverEnv(work));
    } else {
      log("using the running server at %s (SIYU_BENCH_URL) and its database (SIYU_DB_URL)", target.baseUrl());
    }
    Api api = new Api(target.baseUrl(), target.token());
    try (Connection db = target.connect()) {
      report.database = scalar(db, "SELECT version()");
      report.rows = opts.rows;
      if (opts.scenario.equals("recompute")) {
        // its own data, loaded in SQL: ten million events through the API would be a different benchmark
        runRecompute(api, db);
        return;
      }
      Path csv = work.resolve("contacts.csv");
      generate(csv, opts.rows, opts.seed);
      // the segment scenario needs the imported contacts, so every scenario starts with the import
      runImport(api, db, csv);
      if (!opts.scenario.equals("import")) {
        runSegment(api, db);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // synthetic data

  static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"};
  static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"};
  static final String[] PINYIN_SURNAMES = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"};
  static final String[] PINYIN_GIVEN = {"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Xiuying", "Tao"};
  static final String[] CITIES = {"上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "Suzhou", "Xiamen"};
  static final String[] STAGES = {"new", "growing", "mature", "dormant", "churned"};

  /**
   * Writes {@code rows} contacts to {@code csv}. Seeded, so every run imports the same bytes; mobile
   * and email carry a counter so every row is a new contact (the import must insert, not update).
   * No field needs CSV quoting: this measures throughput, the parser's corner cases have unit tests.
   */
  static void generate(Path csv, int rows, long seed) throws IOException {
    long t0 = System.nanoTime();
    Random rnd = new Random(seed);
    StringBuilder line = new StringBuilder(160);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write(CSV_HEADER);
      out.write('\n');
      for (int i = 0; i < rows; i++) {
        line.setLength(0);
        line.append("139").append(String.format(Locale.ROOT, "%08d", i)).append(',')
            .append("member").append(i).append("@bench.example.com").append(',')
            .append(name(rnd)).append(',')
            .append(gender(rnd)).append(',')
            .append(birthday(rnd)).append(',')
            .append(STAGES[rnd.nextInt(STAGES.length)]).append(',')
            .append(1 + rnd.nextInt(10)).append(',')
            .append(CITIES[rnd.nextInt(CITIES.length)]).append(',')
            .append(rnd.nextInt(4) != 0).append('\n');
        out.append(line);
      }
    }
    log("generated %,d contacts into %s (%,d bytes) in %.1f s",
        rows, csv, Files.size(csv), (System.nanoTime() - t0) / 1e9);
  }

  static String name(Random rnd) {
    if (rnd.nextInt(5) == 0) {
      return PINYIN_GIVEN[rnd.nextInt(PINYIN_GIVEN.length)] + " " + PINYIN_SURNAMES[rnd.nextInt(PINYIN_SURNAMES.length)];
    }
    return SURNAMES[rnd.nextInt(SURNAMES.length)] + GIVEN[rnd.nextInt(GIVEN.length)];
  }

  static String gender(Random rnd) {
    int g = rnd.nextInt(10);
    return g < 6 ? "female" : g < 9 ? "male" : "unknown";
  }

  /** About 1 in 200 contacts is born on 29 February of a leap year, the date birthday journeys trip on. */
  static String birthday(Random rnd) {
    if (rnd.nextInt(200) == 0) {
      return String.format(Locale.ROOT, "%04d-02-29", 1960 + 4 * rnd.nextInt(12));
    }
    int year = 1960 + rnd.nextInt(46);
    int month = 1 + rnd.nextInt(12);
    int day = 1 + rnd.nextInt(28);
    return String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 1: import vs COPY

  void runImport(Api api, Connection db, Path csv) throws Exception {
    log("");
    log("== import: %,d contacts through POST /api/v1/imports vs COPY of the same file", opts.rows);
    api.ensureAttribute("level", "integer");
    api.ensureAttribute("city", "string");

    long t0 = System.nanoTime();
    JsonNode job = api.upload(csv);
    long uploaded = System.nanoTime();
    long id = job.path("id").asLong();
    log("upload accepted in %.1f s: import %d is %s", (uploaded - t0) / 1e9, id, job.path("status").asText());
    job = waitForImport(api, id);
    long apiNanos = System.nanoTime() - t0;

    checkImport(job);
    report.importSeconds = apiNanos / 1e9;
    report.uploadSeconds = (uploaded - t0) / 1e9;
    log("import: %,d rows in %.2f s = %,.0f rows/s (upload %.1f s, server %s)",
        opts.rows, report.importSeconds, opts.rows / report.importSeconds, report.uploadSeconds, serverSpan(job));

    // the baseline runs straight after, so both see the same machine load and database state
    for (int run = 1; run <= opts.copyRuns; run++) {
      double s = copyBaseline(db, csv, opts.rows);
      report.copySeconds.add(s);
      log("COPY run %d/%d: %,d rows in %.2f s = %,.0f rows/s", run, opts.copyRuns, opts.rows, s, opts.rows / s);
    }
    log("import / COPY (rows/s): %.2f  (goal >= %.1f)", report.importRatio(), IMPORT_GOAL);

    // A second reference: COPY of the same contacts, already in Siyu's shape, into a table built
    // LIKE contacts (same defaults, generated columns and indexes). No import into this schema can
    // beat it, so import / this is how close the import gets to what the schema allows.
    Path shaped = csv.resolveSibling("contacts-shaped.csv");
    writeShaped(csv, shaped);
    for (int run = 1; run <= opts.copyRuns; run++) {
      double s = copyShapedBaseline(db, shaped, opts.rows);
      report.shapedSeconds.add(s);
      log("COPY into a table LIKE contacts, run %d/%d: %,d rows in %.2f s = %,.0f rows/s",
          run, opts.copyRuns, opts.rows, s, opts.rows / s);
    }
    log("import / COPY LIKE contacts (rows/s): %.2f", report.importShapedRatio());
  }

  /** The generated file rewritten the way Siyu stores it: E.164 mobiles, attributes and consent as JSON. */
  static void writeShaped(Path csv, Path shaped) throws IOException {
    try (var lines = Files.lines(csv, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(shaped, StandardCharsets.UTF_8)) {
      lines.skip(1).forEach(line -> {
        String[] f = line.split(",", -1); // mobile,email,name,gender,birthday,lifecycle_stage,level,city,sms
        try {
          out.write("+86" + f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[4] + "," + f[5]
              + ",Asia/Shanghai,import,\"{\"\"level\"\": " + f[6] + ", \"\"city\"\": \"\"" + f[7] + "\"\"}\","
              + "\"{\"\"sms\"\": " + f[8] + "}\"\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  static double copyShapedBaseline(Connection db, Path shaped, int expectedRows) throws SQLException, IOException {
    return timedCopy(db, "bench_copy_shaped", "CREATE TABLE bench_copy_shaped (LIKE contacts INCLUDING ALL)",
        "COPY bench_copy_shaped (mobile, email, name, gender, birthday, lifecycle_stage, timezone, source, "
            + "attributes, consent) FROM STDIN WITH (FORMAT csv)", shaped, expectedRows);
  }

  /** Creates {@code table}, times one COPY of {@code file} into it, drops it, checks the row count. */
  static double timedCopy(Connection db, String table, String ddl, String copySql, Path file, int expectedRows)
      throws SQLException, IOException {
    try (Statement st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute(ddl);
    }
    CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
    long t0 = System.nanoTime();
    long copied;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      copied = copy.copyIn(copySql, in, 1 << 16);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    try (Statement st = db.createStatement()) {
      st.execute("DROP TABLE " + table);
    }
    if (copied != expectedRows) {
      throw new BenchFailure("COPY into " + table + " loaded " + copied + " rows, the file has " + expectedRows);
    }
    return seconds;
  }

  JsonNode waitForImport(Api api, long id) throws Exception {
    long lastPrint = 0;
    while (true) {
      JsonNode job = api.get("/api/v1/imports/" + id);
      String status = job.path("status").asText();
      if (status.equals("done") || status.equals("failed")) {
        return job;
      }
      if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(3)) {
        lastPrint = System.nanoTime();
        log("  import %d %s: %,d / %,d rows", id, status, job.path("rows_done").asLong(), opts.rows);
      }
      // short poll interval: the wall time is taken when we see "done", so polling adds < 0.2 s
      Thread.sleep(200);
    }
  }

  void checkImport(JsonNode job) {
    if (!job.path("status").asText().equals("done")) {
      throw new BenchFailure("import ended " + job.path("status").asText() + ": " + job);
    }
    long inserted = job.path("rows_inserted").asLong(-1);
    long rejected = job.path("rows_rejected").asLong(-1);
    if (inserted != opts.rows || rejected != 0) {
      throw new BenchFailure(String.format(Locale.ROOT,
          "import %s inserted %d and rejected %d of %d rows (expected all inserted, none rejected; "
              + "against an external server use an empty database). Job: %s",
          job.path("id").asText(), inserted, rejected, opts.rows, job));
    }
  }

  static String serverSpan(JsonNode job) {
    try {
      OffsetDateTime started = OffsetDateTime.parse(job.path("started_at").asText());
      OffsetDateTime finished = OffsetDateTime.parse(job.path("finished_at").asText());
      return String.format(Locale.ROOT, "%.1f s from started_at to finished_at",
          Duration.between(started, finished).toMillis() / 1e3);
    } catch (RuntimeException e) {
      return "times not reported";
    }
  }

  /** COPY of the very same file into a plain logged table without indexes, through the JDBC driver. */
  static double copyBaseline(Connection db, Path csv, int expectedRows) throws SQLException, IOException {
    return timedCopy(db, "bench_copy_contacts", COPY_TABLE_DDL,
        "COPY bench_copy_contacts FROM STDIN WITH (FORMAT csv, HEADER true)", csv, expectedRows);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 2: segment count vs hand-written SQL

  void runSegment(Api api, Connection db) throws Exception {
    log("");
    log("== segment: count(tag AND level 3..7 AND lifecycle growing) via API vs hand-written SQL");
    long tagId = createTag(api);
    tagEveryTenth(db, tagId);

    ObjectNode body = JSON.createObjectNode();
    body.set("filter", JSON.readTree(String.format(Locale.ROOT, """
        {"all":[{"has_tag":%d},
                {"attribute":"level","op":"between","value":[3,7]},
                {"field":"lifecycle_stage","op":"eq","value":"growing"}]}""", tagId)));
    body.put("sample_size", 0);
    String preview = JSON.writeValueAsString(body);

    try (PreparedStatement sql = db.prepareStatement(HAND_WRITTEN_COUNT)) {
      sql.setLong(1, tagId);
      LongSupplier viaApi = () -> api.post("/api/v1/segments/preview", preview, 200).path("count").asLong(-1);
      LongSupplier viaSql = () -> countWith(sql);
      report.segmentCount = checkSameCount(viaApi.getAsLong(), viaSql.getAsLong());
      log("both answer %,d contacts", report.segmentCount);

      for (int i = 0; i < opts.warmup; i++) {
        viaApi.getAsLong();
        viaSql.getAsLong();
      }
      // interleaved, alternating which goes first, so drift in machine load hits both alike
      for (int round = 0; round < opts.rounds; round++) {
        if (round % 2 == 0) {
          report.apiMillis.add(timeCount(viaApi, report.segmentCount, "API"));
          report.sqlMillis.add(timeCount(viaSql, report.segmentCount, "SQL"));
        } else {
          report.sqlMillis.add(timeCount(viaSql, report.segmentCount, "SQL"));
          report.apiMillis.add(timeCount(viaApi, report.segmentCount, "API"));
        }
      }
    }
    log("API  count over HTTP: median %.1f ms, p90 %.1f ms", median(report.apiMillis), p90(report.apiMillis));
    log("SQL  count over JDBC: median %.1f ms, p90 %.1f ms", median(report.sqlMillis), p90(report.sqlMillis));
    log("API / SQL (median): %.2f  (goal <= %.1f)", report.segmentRatio(), SEGMENT_GOAL);
  }

  long createTag(Api api) {
    // a fresh group name per run, so repeated runs against one external server do not collide
    String group = "bench-" + Long.toHexString(System.currentTimeMillis());
    long groupId = api.post("/api/v1/tag-groups", json(Map.of("name", group)), 201).path("id").asLong();
    return api.post("/api/v1/tags", json(Map.of("group_id", groupId, "name", "vip")), 201).path("id").asLong();
  }

  /** Tagging a tenth of a million contacts through the API is not what this scenario measures. */
  static void tagEveryTenth(Connection db, long tagId) throws SQLException {
    long t0 = System.nanoTime();
    int tagged;
    try (PreparedStatement st = db.prepareStatement(
        "INSERT INTO contact_tags (contact_id, tag_id, tagged_by) SELECT id, ?, 'bench' FROM contacts WHERE id % 10 = 0")) {
      st.setLong(1, tagId);
      tagged = st.executeUpdate();
    }
    try (Statement st = db.createStatement()) {
      st.execute("ANALYZE contacts");
      st.execute("ANALYZE contact_tags");
    }
    log("tagged %,d contacts with tag %d in SQL and analyzed in %.1f s", tagged, tagId, (System.nanoTime() - t0) / 1e9);
  }

  static long countWith(PreparedStatement sql) {
    try (ResultSet rs = sql.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new BenchFailure("hand-written count failed: " + e.getMessage());
    }
  }

  static long checkSameCount(long api, long sql) {
    if (api != sql || api < 0) {
      throw new BenchFailure("the API counts " + api + " contacts but the hand-written SQL counts " + sql);
    }
    if (api == 0) {
      throw new BenchFailure("the filter matches no contact; the comparison would be meaningless");
    }
    return api;
  }

  static double timeCount(LongSupplier count, long expected, String what) {
    long t0 = System.nanoTime();
    long n = count.getAsLong();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (n != expected) {
      throw new BenchFailure(what + " count changed between rounds: " + n + " instead of " + expected);
    }
    return ms;
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 3: the scheduled recompute vs a full scan of events

  /** Daily runs after the backfill: the goal is their median ratio to the scan taken just before each. */
  static final int DAILY_RUNS = 3;

  /** The baseline: one plain pass over every row of events, the floor for any job that reads them all. */
  static final String EVENTS_SCAN = "SELECT count(*), sum(amount) FROM events";

  record Scan(long rows, double millis) {}

  /**
   * The loaded data has every contact at the default stage with no RFM scores, which event
   * ingestion would never leave behind: the first run is a backfill, timed and reported as a
   * reference. Then, {@value #DAILY_RUNS} times, a day passes (every contact's timestamps and every
   * open lot's expiry move one day back, untimed) and the scheduled run does that day's work —
   * members crossing the 90/180-day lines, lots falling due, RFM boundaries moving. Those daily
   * runs are what the schedule runs, and what the goal is about.
   */
  void runRecompute(Api api, Connection db) throws Exception {
    long events = opts.events();
    report.events = events;
    log("");
    log("== recompute: POST /api/v1/loyalty/recompute over %,d contacts and %,d events vs a full scan of events",
        opts.rows, events);
    report.setupSeconds = loadRecomputeData(db, opts.rows, events);
    report.parallelWorkers = scalar(db, "SHOW max_parallel_workers_per_gather");
    log("max_parallel_workers_per_gather = %s (left at the server's setting: the scan may use parallel workers)",
        report.parallelWorkers);
    long buyers = Long.parseLong(scalar(db, "SELECT count(*) FROM contacts WHERE purchase_count > 0"));
    log("%,d contacts have bought (the RFM base)", buyers);

    try (Statement st = db.createStatement()) {
      awaitAutovacuum(db);
      Scan warm = timedScan(st);
      log("warm-up scan: %,d events in %.0f ms", warm.rows(), warm.millis());
      long lifecycleEvents = 0;
      for (int run = 0; run <= DAILY_RUNS; run++) {
        if (run > 0) {
          ageOneDay(db);
        }
        long dueLots = Long.parseLong(scalar(db, "SELECT count(*) FROM points_ledger WHERE remaining > 0 AND expires_at <= now()"));
        awaitAutovacuum(db);
        Scan scan = timedScan(st);
        report.scans.add(scan);
        String name = run == 0 ? "backfill" : "day " + run;
        log("%s: scan of %,d events in %.0f ms; %,d lots due", name, scan.rows(), scan.millis(), dueLots);
        long t0 = System.nanoTime();
        JsonNode answer = api.post("/api/v1/loyalty/recompute", "{}", 200, Duration.ofMinutes(30));
        double ms = (System.nanoTime() - t0) / 1e6;
        report.recomputeMillis.add(ms);
        report.recomputeAnswers.add(answer);
        log("%s: recompute in %,.0f ms = %.2f × the scan; the server says %s", name, ms, report.recomputeRatio(run), answer);
        lifecycleEvents += answer.path("lifecycle_changed").asLong();
        checkRecompute(db, answer, dueLots, buyers, lifecycleEvents);
      }
    }
    log("backfill / scan: %.2f (reference); daily runs / the scan before each: %s, median %.2f (goal <= %.1f)",
        report.recomputeRatio(0), dailyRatios(), report.dailyMedianRatio(), RECOMPUTE_GOAL);
  }

  /**
   * A day passes (untimed): every time the recompute compares with now() moves one day back —
   * contacts' first-seen, last-interaction, last-purchase and updated_at times, the open lots'
   * expiry, and what the last runs remembered in recompute_marks (when they ran, the horizon of
   * the writes they saw, the recency boundaries). Then the tables are vacuumed so the next scan
   * and run do not meet the dead rows this leaves. Events keep their times: the recompute reads
   * the aggregates.
   */
  static void ageOneDay(Connection db) throws SQLException {
    timedSql(db, "UPDATE contacts SET first_seen_at = first_seen_at - interval '1 day', "
        + "last_interaction_at = last_interaction_at - interval '1 day', "
        + "last_purchase_at = last_purchase_at - interval '1 day', updated_at = updated_at - interval '1 day'",
        "contacts aged by a day");
    timedSql(db, "UPDATE points_ledger SET expires_at = expires_at - interval '1 day' WHERE remaining > 0",
        "open lots aged by a day");
    timedSql(db, "UPDATE recompute_marks SET clock = clock - interval '1 day', since = since - interval '1 day', "
        + "r = (SELECT array_agg(x - interval '1 day' ORDER BY i) FROM unnest(r) WITH ORDINALITY u(x, i))",
        "recompute marks aged by a day");
    timedSql(db, "VACUUM (ANALYZE) contacts, points_ledger, recompute_marks", "vacuumed");
  }

  /**
   * Waits (up to two minutes) while autovacuum works on what the last run wrote: on two cores it
   * would otherwise take a share of the next scan or run, whichever it happens to overlap.
   */
  static void awaitAutovacuum(Connection db) throws SQLException, InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.MINUTES.toNanos(2);
    String busy = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND state = 'active'";
    while (!scalar(db, busy).equals("0") && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    double waited = (System.nanoTime() - t0) / 1e9;
    if (waited >= 1) {
      log("waited %.0f s for autovacuum to finish", waited);
    }
  }

  String dailyRatios() {
    List<String> r = new ArrayList<>();
    for (int i = 1; i < report.recomputeMillis.size(); i++) {
      r.add(String.format(Locale.ROOT, "%.2f", report.recomputeRatio(i)));
    }
    return String.join(", ", r);
  }

  static Scan timedScan(Statement st) throws SQLException {
    long t0 = System.nanoTime();
    try (ResultSet rs = st.executeQuery(EVENTS_SCAN)) {
      rs.next();
      long rows = rs.getLong(1);
      return new Scan(rows, (System.nanoTime() - t0) / 1e6);
    }
  }

  /**
   * What the answer must say and the database must show after a run (untimed): the whole buying
   * base scored, exactly the lots that were due expired (none on later runs), one lifecycle.changed
   * event per change, and every balance still the sum of its open lots.
   */
  static void checkRecompute(Connection db, JsonNode answer, long dueLots, long buyers, long lifecycleEvents)
      throws SQLException {
    for (String field : List.of("lifecycle_changed", "lifecycle_ms", "rfm", "rfm_ms", "points", "points_ms")) {
      if (answer.path(field).isMissingNode()) {
        throw new BenchFailure("POST /api/v1/loyalty/recompute answered without \"" + field + "\": " + answer);
      }
    }
    if (answer.path("rfm").path("base").asLong(-1) != buyers) {
      throw new BenchFailure("RFM scored a base of " + answer.path("rfm").path("base") + " contacts, "
          + buyers + " have bought: " + answer);
    }
    if (answer.path("points").path("expired_lots").asLong(-1) != dueLots) {
      throw new BenchFailure("points expiry expired " + answer.path("points").path("expired_lots") + " lots, "
          + dueLots + " were due: " + answer);
    }
    long logged = Long.parseLong(scalar(db, "SELECT count(*) FROM events WHERE type = 'lifecycle.changed'"));
    if (logged != lifecycleEvents) {
      throw new BenchFailure("the runs so far report " + lifecycleEvents + " lifecycle changes, events holds "
          + logged + " lifecycle.changed events");
    }
    long off = Long.parseLong(scalar(db, """
        SELECT count(*) FROM contacts c
          LEFT JOIN (SELECT contact_id, sum(remaining) AS open FROM points_ledger GROUP BY contact_id) l
            ON l.contact_id = c.id
         WHERE c.points_balance <> coalesce(l.open, 0)"""));
    if (off != 0) {
      throw new BenchFailure(off + " contacts have a points balance that is not the sum of their open lots");
    }
    checkAsIfFromScratch(db);
  }

  /**
   * The daily runs evaluate only what can have changed since the last one; whatever they skipped
   * must still be right. So after every run (untimed) every contact's stage is compared with the
   * default lifecycle rules at the time the run evaluated them (its clock in recompute_marks: a
   * contact crossing a line during the run or since is the next run's), and every RFM score with
   * quintiles computed from scratch (boundaries below the value, plus half of those level with it).
   */
  static void checkAsIfFromScratch(Connection db) throws SQLException {
    long stages = Long.parseLong(scalar(db, """
        SELECT count(*) FROM contacts c, (SELECT clock FROM recompute_marks WHERE part = 'lifecycle') k
         WHERE c.lifecycle_stage <> CASE
          WHEN coalesce(c.last_interaction_at, c.first_seen_at) < k.clock - interval '180 days' THEN 'churned'
          WHEN coalesce(c.last_purchase_at, c.first_seen_at) < k.clock - interval '90 days' THEN 'dormant'
          WHEN c.purchase_count >= 3 OR c.total_spent > 500 THEN 'mature'
          WHEN c.purchase_count >= 1 THEN 'growing' ELSE 'new' END"""));
    if (stages != 0) {
      throw new BenchFailure(stages + " contacts have a lifecycle stage the rules did not give them when the run evaluated them");
    }
    long scores = Long.parseLong(scalar(db, """
        WITH q AS (SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f,
            percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m
          FROM contacts WHERE purchase_count > 0)
        SELECT count(*) FROM contacts c, q WHERE CASE WHEN c.purchase_count > 0
          THEN (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (
            1 + (c.last_purchase_at > q.r[1])::int + (c.last_purchase_at > q.r[2])::int
              + (c.last_purchase_at > q.r[3])::int + (c.last_purchase_at > q.r[4])::int
              + ((c.last_purchase_at = q.r[1])::int + (c.last_purchase_at = q.r[2])::int
                + (c.last_purchase_at = q.r[3])::int + (c.last_purchase_at = q.r[4])::int) / 2,
            1 + (c.purchase_count > q.f[1])::int + (c.purchase_count > q.f[2])::int
              + (c.purchase_count > q.f[3])::int + (c.purchase_count > q.f[4])::int
              + ((c.purchase_count = q.f[1])::int + (c.purchase_count = q.f[2])::int
                + (c.purchase_count = q.f[3])::int + (c.purchase_count = q.f[4])::int) / 2,
            1 + (c.total_spent > q.m[1])::int + (c.total_spent > q.m[2])::int
              + (c.total_spent > q.m[3])::int + (c.total_spent > q.m[4])::int
              + ((c.total_spent = q.m[1])::int + (c.total_spent = q.m[2])::int
                + (c.total_spent = q.m[3])::int + (c.total_spent = q.m[4])::int) / 2)
          ELSE c.rfm_class IS NOT NULL END"""));
    if (scores != 0) {
      throw new BenchFailure(scores + " contacts have RFM scores other than the quintiles of today's base give them");
    }
  }

  // --- the recompute's data, loaded in SQL (setup, not measured)

  /**
   * A uniform float8 in [0, 1) from {@code salt} and {@code x}: hashtext is deterministic, so
   * every run loads the same data without random() or a seed in the database. (float8, not
   * numeric: numeric ^ and / made the event load five times slower.)
   */
  static String unit(String salt, String x) {
    return "((hashtext('" + salt + "' || " + x + ")::bigint + 2147483648)::float8 / 4294967296)";
  }

  /** Contacts (their ids follow i, so id = base + i), events, aggregates, points lots; then VACUUM ANALYZE. */
  static double loadRecomputeData(Connection db, int contacts, long events) throws SQLException {
    long t0 = System.nanoTime();
    if (!scalar(db, "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM events)").equals("0")) {
      throw new BenchFailure("the recompute scenario needs a database without contacts and events");
    }
    long base = insertContacts(db, contacts);
    insertEvents(db, base, contacts, events);
    setAggregates(db);
    insertPointsLots(db, base, contacts);
    // VACUUM as well as ANALYZE: sets hint bits and the visibility map once, so neither the first
    // scan nor an autovacuum of the fresh tables lands inside a measurement
    timedSql(db, "VACUUM (ANALYZE) contacts, events, points_ledger", "vacuumed and analyzed");
    double seconds = (System.nanoTime() - t0) / 1e9;
    log("setup (SQL, not part of the goal) took %.1f s", seconds);
    return seconds;
  }

  /** Contact i joined 30..400 days ago: its first_seen_at, before which it has no events. */
  static long insertContacts(Connection db, int contacts) throws SQLException {
    String joined = "now() - make_interval(days => 30 + floor(371 * " + unit("join", "i") + ")::int)";
    timedSql(db, "INSERT INTO contacts (mobile, name, source, first_seen_at, created_at) "
        + "SELECT '+86139' || lpad(i::text, 8, '0'), 'bench ' || i, 'bench', " + joined + ", " + joined + " "
        + "FROM generate_series(0, " + (contacts - 1) + ") i ORDER BY i", "contacts");
    long base = Long.parseLong(scalar(db, "SELECT min(id) FROM contacts"));
    long last = Long.parseLong(scalar(db, "SELECT max(id) FROM contacts"));
    // events address contacts as base + i, which holds only if the identity handed out a gap-free run
    if (last - base + 1 != contacts) {
      throw new BenchFailure("contact ids run from " + base + " to " + last + " for " + contacts + " contacts");
    }
    return base;
  }

  /**
   * Contact i owns events [M·(i/N)^⅔, M·((i+1)/N)^⅔): exactly M in all, skewed (about 7 for the
   * last contacts, hundreds for the first), generated contact by contact, which keeps the index
   * inserts of the load local. A contact was last active {@code quiet} days ago, skewed towards
   * recent (u² × 300: about 45% quiet for over 90 days, 22% for over 180, so lifecycle has
   * dormant and churned members to find); its events fall uniformly between its join day (the
   * same hash as in insertContacts) and that day. 30% are purchases of 10–1000 yuan (mostly
   * small), the rest sign_in and page.viewed. The OFFSET 0s keep PostgreSQL from inlining the
   * subqueries, which would compute every hash once per reference instead of once.
   */
  static void insertEvents(Connection db, long base, int contacts, long events) throws SQLException {
    String contact = "SELECT i, joined, least(joined - 1, floor(300 * " + unit("quiet", "i") + " ^ 2)::int) AS quiet, "
        + "  ceil(" + events + " * power(i::float8 / " + contacts + ", 2.0 / 3))::bigint AS g0, "
        + "  ceil(" + events + " * power((i + 1)::float8 / " + contacts + ", 2.0 / 3))::bigint AS g1 "
        + "FROM (SELECT i, 30 + floor(371 * " + unit("join", "i") + ")::int AS joined "
        + "      FROM generate_series(0, " + (contacts - 1) + ") i OFFSET 0) a OFFSET 0";
    String event = "SELECT g, c.i, "
        + "  CASE WHEN r.u < 0.3 THEN 'purchase' WHEN r.u < 0.65 THEN 'sign_in' ELSE 'page.viewed' END AS type, "
        + "  now() - make_interval(secs => (c.quiet + (c.joined - c.quiet) * r.d) * 86400) AS at "
        + "FROM (" + contact + ") c "
        + "CROSS JOIN LATERAL generate_series(c.g0, c.g1 - 1) g "
        + "CROSS JOIN LATERAL (SELECT " + unit("type", "g") + " AS u, " + unit("day", "g") + " AS d OFFSET 0) r "
        + "OFFSET 0";
    timedSql(db, "INSERT INTO events (event_key, contact_id, type, occurred_at, received_at, amount, source) "
        + "SELECT 'bench:' || lpad(e.g::text, 10, '0'), " + base + " + e.i, e.type, e.at, e.at, "
        + "  CASE WHEN e.type = 'purchase' THEN round((10 + 990 * " + unit("amount", "e.g") + " ^ 2)::numeric, 2) END, "
        + "  'bench' "
        + "FROM (" + event + ") e", "events");
    long loaded = Long.parseLong(scalar(db, "SELECT count(*) FROM events"));
    if (loaded != events) {
      throw new BenchFailure("loaded " + loaded + " events instead of " + events);
    }
  }

  /** The aggregates the import and event ingestion keep on each contact, here taken from the events in one go. */
  static void setAggregates(Connection db) throws SQLException {
    timedSql(db, "UPDATE contacts c SET first_seen_at = least(c.first_seen_at, a.first_at), "
        + "  last_interaction_at = a.last_at, last_purchase_at = a.last_purchase_at, "
        + "  purchase_count = a.purchases, total_spent = a.spent "
        + "FROM (SELECT contact_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at, "
        + "    max(occurred_at) FILTER (WHERE type = 'purchase') AS last_purchase_at, "
        + "    count(*) FILTER (WHERE type = 'purchase') AS purchases, "
        + "    coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0) AS spent "
        + "  FROM events GROUP BY contact_id) a "
        + "WHERE c.id = a.contact_id", "contacts given their aggregates");
  }

  /**
   * Every fifth contact (20%) holds two earn lots: lot a expired 1–30 days ago for half of them
   * (the expiry's work) and expires in 180 days for the others, lot b expires in 1–60 days (about
   * half inside the 30-day notice window). Balances are then set to the sum of the open lots.
   */
  static void insertPointsLots(Connection db, long base, int contacts) throws SQLException {
    timedSql(db, "INSERT INTO points_ledger (contact_id, kind, points, remaining, expires_at, reason, "
        + "  idempotency_key, actor, created_at) "
        + "SELECT " + base + " + i, 'earn', p.points, p.points, p.expires_at, 'bench', 'bench:' || i || ':' || p.lot, "
        + "  'bench', now() - interval '200 days' "
        + "FROM generate_series(0, " + (contacts - 1) + ", 5) i "
        + "CROSS JOIN LATERAL (VALUES "
        + "  ('a', (100 + 50 * ((i / 5) % 7))::int, CASE WHEN (i / 5) % 2 = 0 "
        + "     THEN now() - make_interval(days => (1 + i % 30)::int) ELSE now() + interval '180 days' END), "
        + "  ('b', (20 + 10 * (i % 13))::int, now() + make_interval(days => (1 + (i / 5) % 60)::int))"
        + ") p(lot, points, expires_at)", "points lots");
    timedSql(db, "UPDATE contacts c SET points_balance = s.total "
        + "FROM (SELECT contact_id, sum(remaining)::int AS total FROM points_ledger GROUP BY contact_id) s "
        + "WHERE c.id = s.contact_id", "points balances");
  }

  static void timedSql(Connection db, String sql, String what) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement st = db.createStatement()) {
      st.execute(sql);
      int n = st.getUpdateCount();
      log("  %s%s in %.1f s", n > 0 ? String.format(Locale.ROOT, "%,d ", n) : "", what, (System.nanoTime() - t0) / 1e9);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // small helpers

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String scalar(Connection db, String sql) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static double median(List<Double> xs) {
    return percentile(xs, 0.5);
  }

  static double p90(List<Double> xs) {
    return percentile(xs, 0.9);
  }

  /** Nearest-rank percentile: with 15 samples, p90 is the 14th smallest. */
  static double percentile(List<Double> xs, double p) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
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

  // ---------------------------------------------------------------------------------------------
  // command line

  static final class Options {
    static final String USAGE = """
        usage: java -cp target/siyu.jar bench/SiyuBench.java [import|segment|all|recompute] [options]

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
          case "--rows" -> o.rows = positive(a, value(args, ++i, a));
          case "--rounds" -> o.rounds = positive(a, value(args, ++i, a));
          case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(value(args, ++i, a)));
          case "--events" -> o.events = positive(a, value(args, ++i, a));
          case "--copy-runs" -> o.copyRuns = positive(a, value(args, ++i, a));
          case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
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
  // the server under test and its database

  /** Where the server answers and how to reach its database directly. */
  record Target(String baseUrl, String token, String jdbcUrl, String dbUser, String dbPassword) {

    /** The running server named by SIYU_BENCH_URL, SIYU_BENCH_TOKEN and SIYU_DB_URL, or null. */
    static Target fromEnv() {
      String url = System.getenv("SIYU_BENCH_URL");
      String token = System.getenv("SIYU_BENCH_TOKEN");
      String db = System.getenv("SIYU_DB_URL");
      boolean any = url != null || token != null;
      if (!any) {
        return null;
      }
      if (url == null || token == null || db == null) {
        throw new BenchFailure("set all of SIYU_BENCH_URL, SIYU_BENCH_TOKEN and SIYU_DB_URL, or none of them");
      }
      return fromDbUrl(url.replaceAll("/+$", ""), token, db);
    }

    /** postgresql://user:pass@host:port/db?params, the form the server itself reads. */
    static Target fromDbUrl(String baseUrl, String token, String dbUrl) {
      URI u = URI.create(dbUrl.replaceFirst("^postgres(ql)?://", "postgresql://"));
      String user = null;
      String password = null;
      if (u.getRawUserInfo() != null) {
        String[] parts = u.getRawUserInfo().split(":", 2);
        user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
      }
      String jdbc = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath()
          + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
      return new Target(baseUrl, token, jdbc, user, password);
    }

    Connection connect() throws SQLException {
      Properties p = new Properties();
      if (dbUser != null) {
        p.setProperty("user", dbUser);
      }
      if (dbPassword != null) {
        p.setProperty("password", dbPassword);
      }
      p.setProperty("ApplicationName", "siyu-bench");
      return DriverManager.getConnection(jdbcUrl, p);
    }
  }

  /** A server the harness starts itself, with an embedded database in the temp dir. */
  static final class ChildServer {
    static Target start(Path work, Cleanup cleanup, Map<String, String> settings) throws Exception {
      int httpPort = freePort();
      int dbPort = freePort();
      String token = "bench-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
      Path log = work.resolve("server.log");
      Path data = work.resolve("data");
      Files.createDirectories(data);

      ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-jar", serverJar().toString());
      Map<String, String> env = pb.environment();
      // a clean slate: no database or port the caller's environment might point at
      env.keySet().removeIf(k -> k.startsWith("SIYU_"));
      env.put("SIYU_HTTP_PORT", Integer.toString(httpPort));
      env.put("SIYU_HTTP_HOST", "127.0.0.1");
      env.put("SIYU_DATA_DIR", data.toString());
      env.put("SIYU_EMBEDDED_DB_PORT", Integer.toString(dbPort));
      env.put("SIYU_ADMIN_TOKEN", token);
      env.putAll(settings);
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      log("starting the server: %s (log: %s)", String.join(" ", pb.command()), log);
      Process child = pb.start();
      cleanup.child(child, log);

      String base = "http://127.0.0.1:" + httpPort;
      waitForHealth(base, child);
      return new Target(base, token, "jdbc:postgresql://localhost:" + dbPort + "/postgres", "postgres", null);
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
      Path fallback = Path.of("target", "siyu.jar");
      if (Files.isRegularFile(fallback)) {
        return fallback.toAbsolutePath();
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
   * Stops the child server and removes the temp dir, from a shutdown hook so it happens on
   * failure and on Ctrl-C too. On failure the server log is moved out of the temp dir first.
   */
  static final class Cleanup {
    private final Path work;
    private final boolean keep;
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

    void failed() {
      failed = true;
    }

    void run() {
      stopping = true;
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

  // ---------------------------------------------------------------------------------------------
  // HTTP

  /** The few API calls the scenarios make, with the bearer token and problem+json errors surfaced. */
  static final class Api {
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
        // plain HTTP/1.1: no h2c upgrade dance in the measured requests
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    Api(String base, String token) {
      this.base = base;
      this.token = token;
    }

    JsonNode get(String path) {
      return send(request(path).GET().timeout(Duration.ofSeconds(30)).build(), 200);
    }

    JsonNode post(String path, String body, int expected) {
      return post(path, body, expected, Duration.ofSeconds(120));
    }

    /** For the few calls that do a lot of work in one request, like the recompute over a million contacts. */
    JsonNode post(String path, String body, int expected, Duration timeout) {
      return send(request(path).timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), expected);
    }

    /** Streams the file from disk: the harness never holds the upload in memory. */
    JsonNode upload(Path csv) throws IOException {
      return send(request("/api/v1/imports").timeout(Duration.ofMinutes(30))
          .header("Content-Type", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), 202);
    }

    /** Declares a custom attribute; 409 means an earlier run against this database already did. */
    void ensureAttribute(String key, String type) {
      HttpResponse<String> r = exchange(request("/api/v1/attributes").timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("key", key, "type", type)))).build());
      if (r.statusCode() != 201 && r.statusCode() != 409) {
        throw unexpected(r, 201);
      }
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest req, int expected) {
      HttpResponse<String> r = exchange(req);
      if (r.statusCode() != expected) {
        throw unexpected(r, expected);
      }
      try {
        return JSON.readTree(r.body());
      } catch (IOException e) {
        throw new BenchFailure(req.method() + " " + req.uri().getPath() + " answered unparsable JSON: " + r.body());
      }
    }

    private HttpResponse<String> exchange(HttpRequest req) {
      try {
        return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new BenchFailure(req.method() + " " + req.uri() + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchFailure("interrupted");
      }
    }

    private static BenchFailure unexpected(HttpResponse<String> r, int expected) {
      String body = r.body() == null ? "" : r.body();
      if (body.length() > 2000) {
        body = body.substring(0, 2000) + "...";
      }
      return new BenchFailure(String.format(Locale.ROOT, "%s %s answered %d (expected %d): %s",
          r.request().method(), r.request().uri().getPath(), r.statusCode(), expected, body));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // results

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
    String parallelWorkers = "?";
    final List<Scan> scans = new ArrayList<>();
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
      return recomputeMillis.get(i) / scans.get(i).millis();
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
      md.append("----- paste into bench/RESULTS.md -----\n");
      md.append("### ").append(DateTimeFormatter.ISO_LOCAL_DATE.format(OffsetDateTime.now(ZoneOffset.UTC)))
          .append(" — ").append(o.scenario).append(", ").append(String.format(Locale.ROOT, "%,d", rows)).append(" contacts\n\n");
      md.append("- command: `java -cp target/siyu.jar bench/SiyuBench.java ").append(String.join(" ", commandArgs(o))).append("`\n");
      md.append("- commit: ").append(gitDescribe()).append("\n");
      md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
          .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
          .append(", Java ").append(System.getProperty("java.version")).append("\n");
      md.append("- database: ").append(database.replaceAll(" on .*", "")).append("\n\n");
      md.append("| scenario | Siyu | baseline (same run) | ratio | goal | result |\n");
      md.append("|---|---|---|---|---|---|\n");
      if (!Double.isNaN(importSeconds)) {
        md.append(String.format(Locale.ROOT,
            "| import %,d rows | %,.0f rows/s (%.2f s, upload %.2f s) | COPY %,.0f rows/s (median of %d: %.2f s) | %.2f | ≥ %.1f | %s |\n",
            rows, importRate(), importSeconds, uploadSeconds, copyRate(), copySeconds.size(), median(copySeconds),
            importRatio(), IMPORT_GOAL, importRatio() >= IMPORT_GOAL ? "pass" : "FAIL"));
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
            segmentRatio(), SEGMENT_GOAL, segmentRatio() <= SEGMENT_GOAL ? "pass" : "FAIL"));
        md.append(String.format(Locale.ROOT, "\nSegment: %d interleaved rounds per side after %d warm-up rounds.\n",
            apiMillis.size(), o.warmup));
      }
      if (!recomputeMillis.isEmpty()) {
        recomputeMarkdown(md);
      }
      md.append("----- end -----");
      return md.toString();
    }

    void recomputeMarkdown(StringBuilder md) {
      for (int i = 0; i < recomputeMillis.size(); i++) {
        String siyu = String.format(Locale.ROOT, "%,.0f ms (server: %s)", recomputeMillis.get(i), serverParts(recomputeAnswers.get(i)));
        md.append(String.format(Locale.ROOT, "| recompute, %s (%,d contacts, %,d events) | %s | scan just before: %,.0f ms | %.2f | %s | — |\n",
            i == 0 ? "backfill" : "day " + i, rows, events, siyu, scans.get(i).millis(), recomputeRatio(i),
            i == 0 ? "(reference)" : "(in the median)"));
      }
      double daily = dailyMedianRatio();
      md.append(String.format(Locale.ROOT, "| recompute, daily runs | median of %d | | %.2f | ≤ %.1f | %s |\n",
          recomputeMillis.size() - 1, daily, RECOMPUTE_GOAL, daily <= RECOMPUTE_GOAL ? "pass" : "FAIL"));
      md.append(String.format(Locale.ROOT,
          "%nRecompute: data loaded in SQL in %.0f s (setup, not measured); scans of %s events before each run: %s ms; "
              + "max_parallel_workers_per_gather = %s. Times are end to end over HTTP.%n",
          setupSeconds, String.format(Locale.ROOT, "%,d", scans.get(0).rows()),
          String.join(", ", scans.stream().map(s -> String.format(Locale.ROOT, "%,.0f", s.millis())).toList()),
          parallelWorkers));
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
}
