package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Writes touches into the outbox, inside whatever transaction the caller holds: the journey
 * engine's JDBC connection, or a Vert.x connection. Nothing is sent here; the {@link Dispatcher}
 * sends a touch once its transaction has committed, so a rolled-back journey step sends nothing.
 * Both doors run the same statement.
 */
public final class Outbox {
  /**
   * One statement: the touch and its first history row, or nothing at all when the key was
   * written before. Written with JDBC's {@code ?}; {@link #numbered} makes the Vert.x form. The
   * payload goes in as text so both drivers bind a plain string.
   */
  static final String ENQUEUE = "WITH ins AS (INSERT INTO touches (touch_key, contact_id, journey_key, "
      + "process_instance_id, activity_id, channel, template_key, payload, status) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::text::jsonb, 'queued') ON CONFLICT (touch_key) DO NOTHING RETURNING id), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, 'queued', 'enqueued' FROM ins) "
      + "SELECT id FROM ins";

  private static final String ENQUEUE_VERTX = numbered(ENQUEUE);

  private Outbox() {}

  /**
   * Blocking: writes the touch on {@code jdbc} within its current transaction (neither commits nor
   * rolls back). Answers whether it was written; {@code false} means its key was written before.
   * A contact that does not exist fails the statement, and with it the caller's transaction.
   */
  public static boolean enqueue(Connection jdbc, TouchRequest t) throws SQLException {
    try (PreparedStatement ps = jdbc.prepareStatement(ENQUEUE)) {
      ps.setString(1, t.touchKey());
      ps.setLong(2, t.contactId());
      setText(ps, 3, t.journeyKey());
      setText(ps, 4, t.processInstanceId());
      setText(ps, 5, t.activityId());
      ps.setString(6, t.channel());
      ps.setString(7, t.templateKey());
      ps.setString(8, t.payload());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** As {@link #enqueue(Connection, TouchRequest)}, on a Vert.x pool, connection or transaction. */
  public static Future<Boolean> enqueue(SqlClient client, TouchRequest t) {
    return client.preparedQuery(ENQUEUE_VERTX)
        .execute(Tuple.of(t.touchKey(), t.contactId(), t.journeyKey(), t.processInstanceId(), t.activityId(),
            t.channel(), t.templateKey(), t.payload()))
        .map(rows -> rows.size() > 0);
  }

  private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /** JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...} (the SQL holds no other {@code ?}). */
  static String numbered(String jdbcSql) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char c : jdbcSql.toCharArray()) {
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
