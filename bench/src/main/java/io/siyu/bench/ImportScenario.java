package io.siyu.bench;

import static io.siyu.bench.Out.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Scenario {@code import}: N synthetic contacts through {@code POST /api/v1/imports}, then COPY of
 * the same file into a plain table on the same database, and (a second reference) the same
 * contacts in Siyu's shape into a table LIKE contacts. Goal: import rows/s ≥ 0.5 × COPY rows/s.
 */
final class ImportScenario {
  static final double GOAL = 0.5;

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

  private final SiyuBench.Options opts;
  private final SiyuBench.Report report;
  private final Api api;
  private final Connection db;

  ImportScenario(SiyuBench.Options opts, SiyuBench.Report report, Api api, Connection db) {
    this.opts = opts;
    this.report = report;
    this.api = api;
    this.db = db;
  }

  /** Imports the generated {@code csv}, then the references on the same file, straight after. */
  void run(Path csv) throws Exception {
    log("");
    log("== import: %,d contacts through POST /api/v1/imports vs COPY of the same file", opts.rows);
    api.ensureAttribute("level", "integer");
    api.ensureAttribute("city", "string");

    long t0 = System.nanoTime();
    JsonNode job = api.upload(csv);
    long uploaded = System.nanoTime();
    long id = job.path("id").asLong();
    log("upload accepted in %.1f s: import %d is %s", (uploaded - t0) / 1e9, id, job.path("status").asText());
    job = waitForImport(id);
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
    log("import / COPY (rows/s): %.2f  (goal >= %.1f)", report.importRatio(), GOAL);

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

  private JsonNode waitForImport(long id) throws Exception {
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
}
