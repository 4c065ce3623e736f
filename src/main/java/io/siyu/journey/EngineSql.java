package io.siyu.journey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.context.Context;

/**
 * Siyu's SQL inside the engine's current transaction (a delegate, a listener, a command): what it
 * writes commits or rolls back with the engine step, so a retried step never leaves half of
 * itself behind.
 */
public final class EngineSql {
  private EngineSql() {}

  public static Connection connection() {
    return Context.getCommandContext().getDbSqlSession().getSqlSession().getConnection();
  }

  static int update(String sql, Object... params) {
    try (PreparedStatement st = prepare(sql, params)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Rows as column → value maps. */
  static List<Map<String, Object>> query(String sql, Object... params) {
    try (PreparedStatement st = prepare(sql, params); ResultSet rs = st.executeQuery()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement st = connection().prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      st.setObject(i + 1, params[i]);
    }
    return st;
  }
}
