package io.siyu.loyalty.points;

/**
 * The one way points are credited set-wise: new earn lots from {@code source} (rows of
 * contact_id, points, reason, key, earned_at), skipping keys already in the ledger, and the same
 * amounts added to the balances — one statement, so ledger and balance cannot disagree. Used by the
 * earning rules and by referral rewards, inside transactions that have locked the contacts.
 *
 * <p>A lot expires the validity after {@code earned_at}, the time of the event that earned it, not
 * after the time Siyu stored it: an order sent in late keeps the expiry it would have had, and one
 * whose points would have expired already earns nothing. (An event's time is at most an hour ahead;
 * it counts from now then.)
 */
public final class PointsCredit {
  private PointsCredit() {}

  /**
   * The tail of a {@code WITH} statement. {@code monthsParam} is the placeholder of the validity in
   * months; {@code actor} is a constant of the calling code, never user input.
   */
  public static String sql(String source, String monthsParam, String actor) {
    return "credited AS (INSERT INTO points_ledger (contact_id, kind, points, remaining, expires_at, reason, "
        + "  idempotency_key, actor) SELECT contact_id, 'earn', points, points, expires_at, reason, key, '" + actor + "' "
        + "  FROM (SELECT s.*, least(s.earned_at, now()) + make_interval(months => " + monthsParam + "::int) AS expires_at "
        + "    FROM (" + source + ") s) s WHERE points > 0 AND expires_at > now() "
        + "  ON CONFLICT (idempotency_key) DO NOTHING RETURNING contact_id, points), "
        + "sums AS (SELECT contact_id, sum(points)::int AS s FROM credited GROUP BY contact_id) "
        + "UPDATE contacts c SET points_balance = c.points_balance + sums.s FROM sums WHERE c.id = sums.contact_id";
  }
}
