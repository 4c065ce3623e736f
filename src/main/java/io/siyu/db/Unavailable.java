package io.siyu.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failure means the database could not be reached (down, restarting, unreachable) rather
 * than that a statement was wrong. Such failures are not the request's fault: the API answers them
 * with 503 and a Retry-After, and workers that poll say nothing about them, since the
 * {@link DatabaseMonitor} logs the outage once.
 */
public final class Unavailable {
  private Unavailable() {}

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isConnectionFailure(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionFailure(Throwable t) {
    // Sockets: the database is the one server a request's work reaches with a raw socket failure (a
    // WeCom call that fails arrives as WecomClient.CallFailed, with no cause)
    if (t instanceof java.net.SocketException // refused, reset: ConnectException and Netty's subclass of it
        || t instanceof java.nio.channels.ClosedChannelException
        || t instanceof io.vertx.sqlclient.ClosedConnectionException
        || t instanceof SQLTransientConnectionException) { // HikariCP found no connection in time
      return true;
    }
    if (t instanceof io.vertx.pgclient.PgException pg) {
      return isUnavailableState(pg.getSqlState());
    }
    return t instanceof SQLException sql && isUnavailableState(sql.getSQLState());
  }

  /**
   * Class 08 (connection exception), and a server shutting down (57P01), restarting after a crash
   * (57P02) or not yet accepting connections (57P03).
   */
  private static boolean isUnavailableState(String state) {
    return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03"));
  }
}
