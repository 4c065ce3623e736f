package io.siyu.journey.step;

import io.siyu.db.JdbcSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandContextListener;

/**
 * Siyu's SQL inside the engine's current transaction (a delegate, a listener, a command): what it
 * writes commits or rolls back with the engine step, so a retried step never leaves half of
 * itself behind. Statements use PostgreSQL's {@code $1, $2, ...} like the rest of Siyu's SQL
 * ({@link JdbcSql}), so a service's statement can run here unchanged.
 */
public final class EngineSql {
  private EngineSql() {}

  /**
   * The engine's connection in the current command; Siyu's statements on it commit and roll back
   * with the engine's.
   */
  public static Connection connection() {
    CommandContext context = Context.getCommandContext();
    context.registerCommandContextListener(SAME_FATE);
    return connection(context);
  }

  private static Connection connection(CommandContext context) {
    return context.getDbSqlSession().getSqlSession().getConnection();
  }

  /**
   * Makes the engine's transaction end with an explicit JDBC commit or rollback. The engine ends it
   * through MyBatis, which skips both when the engine itself wrote nothing in the command (its
   * session is not "dirty") and then, handing the connection back, switches autocommit on, which
   * commits whatever is pending. A step that wrote only Siyu's rows and then failed would keep them.
   * So: on failure roll back first; on success commit once the engine has flushed its own rows,
   * as the transaction starts to commit (the engine's commit that follows finds nothing pending).
   */
  private static final CommandContextListener SAME_FATE = new CommandContextListener() {
    @Override
    public void onCommandContextClose(CommandContext context) {
      context.getTransactionContext().addTransactionListener(TransactionState.COMMITTING, c -> end(context, true));
    }

    @Override
    public void onCommandFailed(CommandContext context, Throwable failure) {
      end(context, false);
    }
  };

  private static void end(CommandContext context, boolean commit) {
    try {
      if (commit) {
        connection(context).commit();
      } else {
        connection(context).rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException((commit ? "commit" : "rollback") + " failed: " + e.getMessage(), e);
    }
  }

  public static int update(String sql, Object... params) {
    try {
      return JdbcSql.update(connection(), sql, params);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Rows as column → value maps. */
  public static List<Map<String, Object>> query(String sql, Object... params) {
    try {
      return JdbcSql.query(connection(), sql, params);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
