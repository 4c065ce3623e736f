package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Where a touch goes after a send: sent; back to queued with exponential backoff; or dead, at
 * once on a permanent failure or when the attempts are used up. Recorded with its history row in
 * one statement.
 */
final class Transitions {
  /**
   * Any number of results in one statement (parameters are parallel arrays), each only while the
   * touch is still that send's: if its lease ran out and another instance claimed it again,
   * {@code attempts} has moved on and the result changes nothing.
   */
  private static final String RECORD = "WITH r AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], "
      + "  $5::bigint[], $6::text[]) AS r (id, attempts, status, last_error, delay_ms, detail)), "
      + "done AS (UPDATE touches t SET status = r.status, last_error = coalesce(r.last_error, t.last_error), "
      + "  next_attempt_at = CASE WHEN r.status = 'queued' THEN now() + r.delay_ms * interval '1 millisecond' "
      + "    ELSE t.next_attempt_at END, updated_at = now() "
      + "  FROM r WHERE t.id = ANY($1::bigint[]) AND t.id = r.id AND t.status = 'sending' AND t.attempts = r.attempts RETURNING t.id, t.status, r.detail), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) SELECT id, status, detail FROM done) "
      + "SELECT count(*) FROM done";

  /** A send's answer, waiting to be recorded. */
  record Result(Touch touch, Delivery delivery) {}

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

  /** Records the results together: one statement, one commit. */
  static Future<Void> record(SqlClient client, List<Result> results, OutboxSettings settings) {
    int n = results.size();
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] statuses = new String[n];
    String[] errors = new String[n];
    Long[] delays = new Long[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      Next next = next(r.touch(), r.delivery(), settings);
      ids[i] = r.touch().id();
      attempts[i] = r.touch().attempt();
      statuses[i] = next.status();
      errors[i] = r.delivery().outcome() == Delivery.Outcome.SENT ? null : r.delivery().answer();
      delays[i] = next.delayMs();
      details[i] = next.detail();
    }
    return client.preparedQuery(RECORD)
        .execute(Tuple.tuple().addValue(ids).addValue(attempts).addValue(statuses).addValue(errors).addValue(delays)
            .addValue(details))
        .mapEmpty();
  }
}
