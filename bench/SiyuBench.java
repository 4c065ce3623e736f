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
 * <pre>java -cp target/siyu.jar bench/SiyuBench.java [import|segment|all] [--rows N] ...</pre>
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

  private void measure(Path work, Cleanup cleanup) throws Exception {
    Target target = Target.fromEnv();
    if (target == null) {
      target = ChildServer.start(work, cleanup);
    } else {
      log("using the running server at %s (SIYU_BENCH_URL) and its database (SIYU_DB_URL)", target.baseUrl());
    }
    Api api = new Api(target.baseUrl(), target.token());
    try (Connection db = target.connect()) {
      report.database = scalar(db, "SELECT version()");
      report.rows = opts.rows;
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
        usage: java -cp target/siyu.jar bench/SiyuBench.java [import|segment|all] [options]

        Scenarios (default: all)
          import    import N synthetic contacts through POST /api/v1/imports, then COPY the same
                    file into a plain table on the same database; reports rows/s and the ratio
          segment   count tag AND attribute range AND lifecycle through POST /api/v1/segments/preview
                    vs the hand-written SQL, interleaved; runs the import first to have the data
          all       both, sharing one import

        Options
          --rows N        contacts to generate and import (default 1000000)
          --rounds R      timed segment rounds per side (default 15)
          --warmup W      untimed segment rounds per side first (default 3)
          --copy-runs K   how often to repeat the COPY baseline; the median is used (default 3)
          --seed S        seed of the synthetic data (default 20261123)
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
    long seed = 20261123L;
    boolean keep;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "import", "segment", "all" -> o.scenario = a;
          case "--rows" -> o.rows = positive(a, value(args, ++i, a));
          case "--rounds" -> o.rounds = positive(a, value(args, ++i, a));
          case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(value(args, ++i, a)));
          case "--copy-runs" -> o.copyRuns = positive(a, value(args, ++i, a));
          case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
          case "--keep" -> o.keep = true;
          case "-h", "--help" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      return o;
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
    static Target start(Path work, Cleanup cleanup) throws Exception {
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
      return send(request(path).timeout(Duration.ofSeconds(120))
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
      md.append("----- end -----");
      return md.toString();
    }

    static List<String> commandArgs(Options o) {
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
