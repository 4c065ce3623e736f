package io.siyu.bench;

import static io.siyu.bench.Out.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The harness's own JDBC: setup statements, scalars and counts, waits for the database to settle. */
final class Sql {
  private Sql() {}

  /** A setup statement, its row count and time printed. */
  static void timedSql(Connection db, String sql, String what) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement st = db.createStatement()) {
      st.execute(sql);
      int n = st.getUpdateCount();
      log("  %s%s in %.1f s", n > 0 ? String.format(Locale.ROOT, "%,d ", n) : "", what, (System.nanoTime() - t0) / 1e9);
    }
  }

  static void execute(Connection db, String... sql) throws SQLException {
    try (Statement st = db.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** The first column of the first row, or null when there is none. */
  static String scalar(Connection db, String sql) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static long count(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The count {@code sql} answers with {@code params} bound in order. */
  static long count(Connection db, String sql, Object... params) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      return count(st);
    }
  }

  /** Waits (at most 2 minutes) until no autovacuum worker runs: one must not land in a measurement. */
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

    /** Of the database the connection is on. */
    static Counters read(Connection db) throws SQLException {
      return read(db, db.getCatalog());
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
}
