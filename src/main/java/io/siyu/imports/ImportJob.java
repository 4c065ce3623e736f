package io.siyu.imports;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.imports.ImportReader.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import, run on a worker thread with plain JDBC (COPY is not on the reactive client). An
 * {@link ImportReader} parses the file as a stream on a second thread; this one merges each chunk
 * and commits it together with the progress counters, so after a crash the job resumes exactly
 * after the last committed row.
 */
final class ImportJob implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ImportJob.class);
  private static final int MAX_REJECTIONS_KEPT = 100_000;

  private final long id;
  private final Path file;
  private final ImportFormat format;
  private final DataSource jdbc;
  private final ImportRows rows;
  private final String defaultTimezone;
  private final Runnable onFinish;

  private long done;
  private long inserted;
  private long updated;
  private long rejected;

  ImportJob(long id, Path file, ImportFormat format, DataSource jdbc, Map<String, AttributeDefinition> catalog,
      String countryCode, String defaultTimezone, Runnable onFinish) {
    this.id = id;
    this.file = file;
    this.format = format;
    this.jdbc = jdbc;
    this.rows = new ImportRows(catalog, countryCode);
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
      } catch (InterruptedException e) {
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
    try (PreparedStatement ps = conn.prepareStatement(ImportSql.TRY_LOCK)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void process(Connection conn) throws Exception {
    long resumeAfter = start(conn);
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute(ImportBatch.CREATE_STAGE);
    }
    conn.commit();
    // two chunks in flight: one being merged, one being parsed
    BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(2);
    ImportReader reader = new ImportReader(file, format, rows, resumeAfter, chunks);
    Thread readerThread = new Thread(reader, "siyu-import-read-" + id);
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      for (Chunk chunk; (chunk = chunks.take()) != ImportReader.END; ) {
        flush(conn, chunk);
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("stopping");
        }
      }
    } finally {
      readerThread.interrupt();
    }
    if (reader.failure() != null) {
      throw reader.failure();
    }
  }

  /** Marks the job running, counts its rows, and returns how many rows an earlier run committed. */
  private long start(Connection conn) throws SQLException, IOException {
    long total = countRows();
    try (PreparedStatement ps = conn.prepareStatement(ImportSql.START)) {
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

  /**
   * Merges a chunk and commits it with the counters and its rejected lines. A contact created
   * through the API between our match and our insert makes the insert hit a unique index; the
   * chunk is then rolled back and merged again, now finding that contact.
   */
  private void flush(Connection conn, Chunk chunk) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        mergeAndCommit(conn, chunk);
        return;
      } catch (SQLException e) {
        conn.rollback();
        if (!"23505".equals(e.getSQLState()) || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The counters change only once the commit has succeeded, so a retried chunk counts once. */
  private void mergeAndCommit(Connection conn, Chunk chunk) throws SQLException {
    ImportBatch batch = chunk.batch();
    ImportBatch.Merged m = batch.isEmpty() ? new ImportBatch.Merged(0, 0, List.of()) : batch.merge(conn, defaultTimezone);
    writeRejections(conn, chunk.rejections());
    writeRejections(conn, m.conflicts());
    long rejectedNow = m.conflicts().size() + chunk.rejections().size();
    try (PreparedStatement ps = conn.prepareStatement(ImportSql.RECORD_PROGRESS)) {
      ps.setLong(1, done + chunk.rows());
      ps.setLong(2, inserted + m.inserted());
      ps.setLong(3, updated + m.updated());
      ps.setLong(4, rejected + rejectedNow);
      ps.setLong(5, id);
      ps.executeUpdate();
    }
    conn.commit();
    done += chunk.rows();
    inserted += m.inserted();
    updated += m.updated();
    rejected += rejectedNow;
  }

  private void writeRejections(Connection conn, List<Rejection> rejections) throws SQLException {
    if (rejections.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement(ImportSql.KEEP_REJECTION)) {
      for (Rejection r : rejections) {
        ps.setLong(1, id);
        ps.setLong(2, r.lineNo());
        ps.setString(3, r.summary());
        ps.setString(4, r.errorsJson().encode());
        ps.setLong(5, id);
        ps.setInt(6, MAX_REJECTIONS_KEPT);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void finish(Connection conn, String status, String error) {
    try {
      conn.setAutoCommit(true);
      try (PreparedStatement ps = conn.prepareStatement(ImportSql.FINISH)) {
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
}
