package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Where a touch goes after a send: sent; back to queued with exponential backoff; or dead, at
 * once on a permanent failure or when the attempts are used up. Recorded with its history row in
 * one statement.
 */
final class Transitions {
  /**
   * Only while the touch is still this send's: if its lease ran out and another instance claimed
   * it again, {@code attempts} has moved on and this result changes nothing.
   */
  private static final String RECORD = "WITH done AS (UPDATE touches SET status = $3, "
      + "last_error = coalesce($4, last_error), "
      + "next_attempt_at = CASE WHEN $3 = 'queued' THEN now() + $5::bigint * interval '1 millisecond' "
      + "  ELSE next_attempt_at END, updated_at = now() "
      + "WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id, status), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, status, $6 FROM done) "
      + "SELECT count(*) FROM done";

  /** The status a send leads to, the delay before the next attempt (when queued), and the history detail. */
  record Next(String status, long delayMs, String detail) {}

  private Transitions() {}

  static Next next(Touch touch, Delivery d, OutboxSettings settings) {
    String answer = d.answer() == null ? d.outcome().name().toLowerCase() : d.answer();
    return switch (d.outcome()) {
      case SENT -> new Next("sent", 0, answer);
      case FAILED -> new Next("dead", 0, answer);
      case RETRY -> touch.attempt() >= settings.maxAttempts()
          ? new Next("dead", 0, answer + " (gave up after " + touch.attempt() + " attempts)")
          : new Next("queued", settings.backoffMs(touch.attempt()),
              answer + " (retry in " + settings.backoffMs(touch.attempt()) + " ms)");
    };
  }

  static Future<Void> record(SqlClient client, Touch touch, Delivery d, OutboxSettings settings) {
    Next next = next(touch, d, settings);
    String lastError = d.outcome() == Delivery.Outcome.SENT ? null : d.answer();
    return client.preparedQuery(RECORD)
        .execute(Tuple.of(touch.id(), touch.attempt(), next.status(), lastError, next.delayMs(), next.detail()))
        .mapEmpty();
  }
}
