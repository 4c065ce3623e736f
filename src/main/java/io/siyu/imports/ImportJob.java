package io.siyu.imports;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.contact.ContactInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import, run on a worker thread with plain JDBC (COPY is not on the reactive client). The
 * file is read as a stream, never whole. Each batch commits together with the progress counters,
 * so after a crash the job resumes exactly after the last committed row.
 */
final class ImportJob implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ImportJob.class);
  private static final int MAX_REJECTIONS_KEPT = 100_000;

  private final long id;
  private final Path file;
  private final ImportFormat format;
  private final DataSource jdbc;
  private final Map<String, AttributeDefinition> catalog;
  private final String countryCode;
  private final String defaultTimezone;
  private final Runnable onFinish;

  private long done;
  private long inserted;
  private long updated;
  private long rejected;
  /** Rows that failed validation since the last commit; written with the next batch. */
  private final List<Rejection> pendingRejections = new ArrayList<>();

  private record Rejection(long lineNo, String reason) {}

  ImportJob(long id, Path file, ImportFormat format, DataSource jdbc, Map<String, AttributeDefinition> catalog,
      String countryCode, String defaultTimezone, Runnable onFinish) {
    this.id = id;
    this.file = file;
    this.format = format;
    this.jdbc = jdbc;
    this.catalog = catalog;
    this.countryCode = countryCode;
    this.defaultTimezone = defaultTimezone;
    this.onFinish = onFinish;
  }

  @Override
  public void run() {
    try (Connection conn = jdbc.getConnection()) {
      // one runner per import across all instances: the lock lives as long as this connection
      if (!tryLock(conn)) {
        return;
      }
      try {
        process(conn);
        finish(conn, "done", null);
        Files.deleteIfExists(file);
      } catch (Stopped e) {
        rollbackQuietly(conn);
        log.info("Import {} paused at row {} by shutdown; it resumes at the next start", id, done);
      } catch (Exception e) {
        log.error("Import {} failed", id, e);
        rollbackQuietly(conn);
        finish(conn, "failed", e instanceof SQLException ? "the database refused a batch; see the server log"
            : String.valueOf(e.getMessage()));
      }
    } catch (SQLException e) {
      log.error("Import {} could not reach the database", id, e);
    } finally {
      onFinish.run();
    }
  }

  private boolean tryLock(Connection conn) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT pg_try_advisory_lock(7353, ?::int)")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void process(Connection conn) throws SQLException, IOException {
    long resumeAfter = start(conn);
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute(ImportBatch.CREATE_STAGE);
    }
    conn.commit();
    ImportRows rows = new ImportRows(catalog, countryCode);
    ImportBatch batch = new ImportBatch();
    if (format == ImportFormat.CSV) {
      readCsv(conn, rows, batch, resumeAfter);
    } else {
      readNdjson(conn, rows, batch, resumeAfter);
    }
    flush(conn, batch);
  }

  /** Marks the job running, counts its rows, and returns how many rows an earlier run committed. */
  private long start(Connection conn) throws SQLException, IOException {
    long total = countRows();
    try (PreparedStatement ps = conn.prepareStatement("UPDATE imports SET status = 'running', "
        + "started_at = coalesce(started_at, now()), total_rows = ? WHERE id = ? "
        + "RETURNING rows_done, rows_inserted, rows_updated, rows_rejected")) {
      ps.setLong(1, total);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        done = rs.getLong(1);
        inserted = rs.getLong(2);
        updated = rs.getLong(3);
        rejected = rs.getLong(4);
      }
    }
    return done;
  }

  /** A fast newline count, so progress has a denominator before the slow pass begins. */
  private long countRows() throws IOException {
    long lines = 0;
    boolean lastWasNewline = true;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
        lastWasNewline = buf[n - 1] == '\n';
      }
    }
    if (!lastWasNewline) {
      lines++;
    }
    return format == ImportFormat.CSV ? Math.max(0, lines - 1) : lines;
  }

  private void readCsv(Connection conn, ImportRows rows, ImportBatch batch, long resumeAfter)
      throws SQLException, IOException {
    CSVFormat csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(reader, csv)) {
      List<String> header = stripBom(parser.getHeaderNames());
      long rowNo = 0;
      for (CSVRecord record : parser) {
        rowNo++;
        if (rowNo <= resumeAfter) {
          continue;
        }
        long lineNo = rowNo + 1; // line 1 is the header
        ContactInput in;
        try {
          in = rows.fromCsv(header, record.toList());
        } catch (IllegalArgumentException e) {
          reject(lineNo, e.getMessage());
          continue;
        }
        add(conn, batch, lineNo, in);
      }
    }
  }

  private void readNdjson(Connection conn, ImportRows rows, ImportBatch batch, long resumeAfter)
      throws SQLException, IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      long rowNo = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank() || ++rowNo <= resumeAfter) {
          continue;
        }
        ContactInput in;
        try {
          in = rows.fromJsonLine(line);
        } catch (IllegalArgumentException e) {
          reject(lineNo, e.getMessage());
          continue;
        }
        add(conn, batch, lineNo, in);
      }
    }
  }

  private void add(Connection conn, ImportBatch batch, long lineNo, ContactInput in) throws SQLException {
    if (!batch.add(lineNo, in)) {
      flush(conn, batch);
      batch.add(lineNo, in);
    }
    if (batch.isFull()) {
      flush(conn, batch);
      if (Thread.currentThread().isInterrupted()) {
        throw new Stopped();
      }
    }
  }

  /** The server is stopping: leave the job "running" so the next start resumes it. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private void reject(long lineNo, String reason) {
    pendingRejections.add(new Rejection(lineNo, reason));
    done++;
    rejected++;
  }

  /**
   * Merges the batch and commits it together with the counters (and the rejected lines so far).
   * A contact created through the API between our match and our insert makes the insert hit a
   * unique index; the batch is then rolled back and merged again, now finding that contact.
   */
  private void flush(Connection conn, ImportBatch batch) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        mergeAndCommit(conn, batch);
        return;
      } catch (SQLException e) {
        conn.rollback();
        if (!"23505".equals(e.getSQLState()) || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The counters change only once the commit has succeeded, so a retried batch counts once. */
  private void mergeAndCommit(Connection conn, ImportBatch batch) throws SQLException {
    ImportBatch.Merged m = batch.isEmpty() ? new ImportBatch.Merged(0, 0, 0) : batch.merge(conn, id, defaultTimezone);
    writeRejections(conn);
    try (PreparedStatement ps = conn.prepareStatement("UPDATE imports SET rows_done = ?, rows_inserted = ?, "
        + "rows_updated = ?, rows_rejected = ? WHERE id = ?")) {
      ps.setLong(1, done + batch.size());
      ps.setLong(2, inserted + m.inserted());
      ps.setLong(3, updated + m.updated());
      ps.setLong(4, rejected + m.rejected());
      ps.setLong(5, id);
      ps.executeUpdate();
    }
    conn.commit();
    done += batch.size();
    inserted += m.inserted();
    updated += m.updated();
    rejected += m.rejected();
    pendingRejections.clear();
    batch.clear();
  }

  private void writeRejections(Connection conn) throws SQLException {
    if (pendingRejections.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO import_rejections (import_id, line_no, reason) "
        + "SELECT ?, ?, ? WHERE (SELECT count(*) FROM import_rejections WHERE import_id = ?) < ? "
        + "ON CONFLICT DO NOTHING")) {
      for (Rejection r : pendingRejections) {
        ps.setLong(1, id);
        ps.setLong(2, r.lineNo());
        ps.setString(3, r.reason());
        ps.setLong(4, id);
        ps.setInt(5, MAX_REJECTIONS_KEPT);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void finish(Connection conn, String status, String error) {
    try {
      conn.setAutoCommit(true);
      try (PreparedStatement ps = conn.prepareStatement("UPDATE imports SET status = ?, error = ?, "
          + "finished_at = now(), total_rows = CASE WHEN ? = 'done' THEN rows_done ELSE total_rows END WHERE id = ?")) {
        ps.setString(1, status);
        ps.setString(2, error);
        ps.setString(3, status);
        ps.setLong(4, id);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      log.error("Import {}: could not record its end ({})", id, status, e);
    }
  }

  private static void rollbackQuietly(Connection conn) {
    try {
      if (!conn.getAutoCommit()) {
        conn.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is going away anyway
    }
  }

  /** Spreadsheet programs like to start UTF-8 CSV files with a byte-order mark. */
  static List<String> stripBom(List<String> header) {
    List<String> h = new ArrayList<>(header);
    if (!h.isEmpty() && h.get(0).startsWith("\uFEFF")) {
      h.set(0, h.get(0).substring(1));
    }
    return h;
  }
}
