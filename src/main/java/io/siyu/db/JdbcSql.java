package io.siyu.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SQL written for Vert.x, with PostgreSQL's numbered placeholders {@code $1, $2, ...}, on a
 * JDBC connection, which only takes {@code ?}. One text then serves both doors: a service on its
 * Vert.x pool, and a journey step inside the engine's JDBC transaction. A statement that must
 * commit with a journey step is never written twice.
 *
 * <p>Each {@code $n} becomes a {@code ?} bound to {@code params[n-1]}, so a parameter may be used
 * more than once. The texts this takes hold no {@code $n} inside string literals, and no {@code ?}
 * at all (JDBC would read it as a placeholder).
 */
public final class JdbcSql {
  private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");
  private static final Map<String, Positional> CONVERTED = new ConcurrentHashMap<>();

  /** The JDBC text, and for each of its {@code ?} the (0-based) parameter it takes. */
  private record Positional(String sql, int[] order) {
    static Positional of(String numbered) {
      if (numbered.indexOf('?') >= 0) {
        // JDBC would take it for a placeholder (jsonb's ? operator: use jsonb_exists or ->> ... IS NOT NULL)
        throw new IllegalArgumentException("SQL for JdbcSql must not contain '?': " + numbered);
      }
      Matcher m = NUMBERED.matcher(numbered);
      StringBuilder sql = new StringBuilder();
      List<Integer> order = new ArrayList<>();
      while (m.find()) {
        order.add(Integer.parseInt(m.group(1)) - 1);
        m.appendReplacement(sql, "?");
      }
      m.appendTail(sql);
      return new Positional(sql.toString(), order.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  private JdbcSql() {}

  /** A prepared statement for {@code numberedSql} with {@code params} bound; the caller closes it. */
  public static PreparedStatement prepare(Connection c, String numberedSql, Object... params) throws SQLException {
    Positional p = CONVERTED.computeIfAbsent(numberedSql, Positional::of);
    PreparedStatement st = c.prepareStatement(p.sql());
    try {
      for (int i = 0; i < p.order().length; i++) {
        st.setObject(i + 1, params[p.order()[i]]);
      }
      return st;
    } catch (SQLException | RuntimeException e) {
      st.close();
      throw e;
    }
  }

  /** Rows as column label → value maps, in column order. */
  public static List<Map<String, Object>> query(Connection c, String numberedSql, Object... params) throws SQLException {
    try (PreparedStatement st = prepare(c, numberedSql, params); ResultSet rs = st.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public static int update(Connection c, String numberedSql, Object... params) throws SQLException {
    try (PreparedStatement st = prepare(c, numberedSql, params)) {
      return st.executeUpdate();
    }
  }
}
