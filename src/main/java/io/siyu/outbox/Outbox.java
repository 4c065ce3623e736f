package io.siyu.outbox;

import io.siyu.db.JdbcSql;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes touches into the outbox, inside whatever transaction the caller holds: the journey
 * engine's JDBC connection, or a Vert.x connection. Nothing is sent here; the {@link Dispatcher}
 * sends a touch once its transaction has committed, so a rolled-back journey step sends nothing.
 * Both doors run the same statement.
 */
public final class Outbox {
  /**
   * One statement: the touch, its place in the dispatcher's queue and its first history row, or
   * nothing at all when the key was written before. The payload goes in as text so both drivers
   * bind a plain string. Its
   * {@code kind} says marketing or transactional; a {@code welcome_code} (WeCom's, valid for
   * seconds) puts the touch ahead of everything else, a transactional one ahead of marketing.
   */
  static final String ENQUEUE = "WITH ins AS (INSERT INTO touches (touch_key, contact_id, journey_key, "
      + "process_instance_id, activity_id, channel, requested_channel, template_key, payload, kind, priority, status) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8::text::jsonb, "
      + "  CASE WHEN $8::text::jsonb ->> 'kind' = 'transactional' THEN 'transactional' ELSE 'marketing' END, "
      + "  CASE WHEN $8::text::jsonb ->> 'welcome_code' IS NOT NULL THEN 2 WHEN $8::text::jsonb ->> 'kind' = 'transactional' THEN 1 "
      + "    ELSE 0 END, 'queued') "
      + "ON CONFLICT (touch_key) DO NOTHING RETURNING id, priority), "
      + "queue AS (INSERT INTO touch_queue (touch_id, priority) SELECT id, priority FROM ins), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, 'queued', 'enqueued' FROM ins) "
      + "SELECT id FROM ins";

  private Outbox() {}

  /**
   * Blocking: writes the touch on {@code jdbc} within its current transaction (neither commits nor
   * rolls back). Answers whether it was written; {@code false} means its key was written before.
   * A contact that does not exist fails the statement, and with it the caller's transaction.
   */
  public static boolean enqueue(Connection jdbc, TouchRequest t) throws SQLException {
    return !JdbcSql.query(jdbc, ENQUEUE, t.touchKey(), t.contactId(), t.journeyKey(), t.processInstanceId(),
        t.activityId(), t.channel(), t.templateKey(), t.payload()).isEmpty();
  }

  /** As {@link #enqueue(Connection, TouchRequest)}, on a Vert.x pool, connection or transaction. */
  public static Future<Boolean> enqueue(SqlClient client, TouchRequest t) {
    return client.preparedQuery(ENQUEUE)
        .execute(Tuple.of(t.touchKey(), t.contactId(), t.journeyKey(), t.processInstanceId(), t.activityId(),
            t.channel(), t.templateKey(), t.payload()))
        .map(rows -> rows.size() > 0);
  }
}
