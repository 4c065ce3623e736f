package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Where a touch goes after a send: sent; back to queued with exponential backoff; or dead, at
 * once on a permanent failure or when the attempts are used up. Recorded with its history row in
 * one statement.
 */
final class Transitions {
  /**
   * Any number of results in one statement (parameters are parallel arrays), each only while the
   * touch's queue place is still that send's: if its lease ran out and another claim took it again,
   * the place's {@code attempts} has moved on and the result changes nothing. The touch leaves the
   * queue, or (queued again) takes its new place there, its lease ended; either way the statement
   * that moves the place is the one that checks it (one look-up of the place per result), and
   * answers when its attempt was claimed (a place queued again keeps its last {@code claimed_at}:
   * it is read only while a lease holds). The touch's status changes only while it says 'queued':
   * a provider's receipt may have beaten the record, and then it stands. The history row of the
   * result names the attempt and when it was claimed, when it went to a provider; one the sending
   * policy settled before any send (deferred, suppressed) was no attempt, and its claim is taken
   * back ({@code refund}).
   */
  private static final String RECORD = "WITH r AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], "
      + "  $5::timestamptz[], $6::text[], $7::text[], $8::int[]) AS r (id, attempts, status, last_error, next_at, detail, channel, refund)), "
      + "dequeued AS (DELETE FROM touch_queue q USING r WHERE q.touch_id = r.id AND q.attempts = r.attempts "
      + "  AND r.status <> 'queued' RETURNING r.*, q.claimed_at), "
      + "requeued AS (UPDATE touch_queue q SET due_at = r.next_at, attempts = q.attempts - r.refund, leased_until = NULL "
      + "  FROM r WHERE q.touch_id = r.id AND q.attempts = r.attempts AND r.status = 'queued' "
      + "  RETURNING r.*, q.claimed_at), "
      + "owned AS (SELECT * FROM dequeued UNION ALL SELECT * FROM requeued), "
      + "done AS (UPDATE touches t SET status = r.status, last_error = coalesce(r.last_error, t.last_error), "
      + "  channel = r.channel, attempts = r.attempts - r.refund, "
      + "  sent_at = CASE WHEN r.status = 'sent' THEN now() ELSE t.sent_at END, "
      + "  next_attempt_at = coalesce(r.next_at, t.next_attempt_at), updated_at = now() "
      + "  FROM owned r WHERE t.id = r.id AND t.status = 'queued' "
      + "  RETURNING t.id, t.status, r.detail, r.claimed_at, r.attempts, r.refund), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail, attempt, started_at) "
      + "  SELECT id, status, detail, CASE WHEN refund = 0 THEN attempts END, CASE WHEN refund = 0 THEN claimed_at END "
      + "  FROM done ORDER BY id) "
      + "SELECT count(*) FROM done";

  /**
   * Where one claimed touch goes: its status, when it is tried next (when queued again),
   * the error to keep, the history detail, and whether the claim counted as an attempt (a touch
   * deferred or suppressed by the sending policy was never tried on a provider).
   */
  record Result(Touch touch, String status, Instant nextAttemptAt, String lastError, String detail, boolean attempted) {
    /** After the channel answered. */
    static Result of(Touch touch, Delivery d, OutboxSettings settings) {
      Next next = next(touch, d, settings);
      return new Result(touch, next.status(), next.status().equals("queued") ? Instant.now().plusMillis(next.delayMs()) : null,
          d.outcome() == Delivery.Outcome.SENT ? null : d.answer(), next.detail(), true);
    }

    static Result suppressed(Touch touch, String reason) {
      return new Result(touch, "suppressed", null, reason, "suppressed: " + reason, false);
    }

    static Result deferred(Touch touch, Instant until, String reason) {
      return new Result(touch, "queued", until, null, "deferred until " + until + ": " + reason, false);
    }

    /** Claimed once more after its last attempt's lease ran out, with no attempts left: not sent again. */
    static Result leaseRanOut(Touch touch, OutboxSettings settings) {
      String why = "no result within the lease of " + settings.leaseMs() + " ms on any of " + settings.maxAttempts()
          + " attempts";
      return new Result(touch, "dead", null, why, "gave up: " + why, false);
    }
  }

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
  static Future<Void> record(SqlClient client, List<Result> results) {
    int n = results.size();
    Long[] ids = new Long[n];
    Integer[] attempts = new Integer[n];
    String[] statuses = new String[n];
    String[] errors = new String[n];
    OffsetDateTime[] nextAt = new OffsetDateTime[n];
    String[] details = new String[n];
    String[] channels = new String[n];
    Integer[] refunds = new Integer[n];
    for (int i = 0; i < n; i++) {
      Result r = results.get(i);
      ids[i] = r.touch().id();
      attempts[i] = r.touch().attempt();
      statuses[i] = r.status();
      errors[i] = r.lastError();
      nextAt[i] = r.nextAttemptAt() == null ? null : r.nextAttemptAt().atOffset(ZoneOffset.UTC);
      details[i] = r.detail();
      channels[i] = r.touch().channel();
      refunds[i] = r.attempted() ? 0 : 1;
    }
    return client.preparedQuery(RECORD)
        .execute(Tuple.tuple().addValue(ids).addValue(attempts).addValue(statuses).addValue(errors).addValue(nextAt)
            .addValue(details).addValue(channels).addValue(refunds))
        .mapEmpty();
  }
}
