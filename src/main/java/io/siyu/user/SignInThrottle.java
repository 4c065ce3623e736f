package io.siyu.user;

import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Wrong passwords slow down and then lock, counted in the database so every instance sees the same
 * count: per email (whether or not anyone has it, so a lock tells nothing about who exists) and per
 * client address. {@code max} failures within {@link #WINDOW} lock the key for
 * {@link PeopleSettings#firstLock()}, each further lock twice as long as the one before (at most an
 * hour), starting again from the first after a day without failures. While locked, sign-in answers
 * 429 with {@code Retry-After} without looking at the password. A sign-in that succeeds clears its
 * email's count; an address keeps its own (one good account must not wash away a guesser's tries).
 *
 * <p>Emails are kept as a SHA-256, not as typed: a mistyped email is sometimes a password.
 */
final class SignInThrottle {
  static final Duration WINDOW = Duration.ofMinutes(15);
  private static final long MAX_LOCK_SECONDS = 3_600;

  private static final String LOCKED = "SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds "
      + "FROM sign_in_throttles WHERE ((scope = 'email' AND key = $1) OR (scope = 'address' AND key = $2)) "
      + "AND locked_until > now()";
  /** This failure's count in the key's window: a window older than {@link #WINDOW} starts again. */
  private static final String COUNT = "(CASE WHEN t.window_start < now() - $5::int * interval '1 second' THEN 1 "
      + "ELSE t.failures + 1 END)";
  private static final String LIMIT = "(CASE WHEN t.scope = 'email' THEN $3::int ELSE $4::int END)";
  /** Locks so far, forgotten after a day without failures. */
  private static final String LOCKS = "(CASE WHEN t.last_failure_at < now() - interval '1 day' THEN 0 ELSE t.locks END)";
  private static final String REACHED = "(" + COUNT + " >= " + LIMIT + ")";
  /** One statement for both keys: each row's count, and its lock once the count reaches its limit. */
  private static final String FAILED = "INSERT INTO sign_in_throttles AS t (scope, key, failures, window_start, last_failure_at) "
      + "VALUES ('email', $1, 1, now(), now()), ('address', $2, 1, now(), now()) "
      + "ON CONFLICT (scope, key) DO UPDATE SET "
      + "failures = CASE WHEN " + REACHED + " THEN 0 ELSE " + COUNT + " END, "
      + "window_start = CASE WHEN " + REACHED + " OR t.window_start < now() - $5::int * interval '1 second' "
      + "THEN now() ELSE t.window_start END, "
      + "locked_until = CASE WHEN " + REACHED + " THEN now() + least($7::int, $6::int * power(2, " + LOCKS + ")) "
      + "* interval '1 second' ELSE t.locked_until END, "
      + "locks = CASE WHEN " + REACHED + " THEN " + LOCKS + " + 1 ELSE " + LOCKS + " END, "
      + "last_failure_at = now()";
  private static final String SUCCEEDED = "DELETE FROM sign_in_throttles WHERE scope = 'email' AND key = $1";
  /** Rows of keys that have been quiet for a day: nothing of them counts any more. */
  private static final String FORGET = "DELETE FROM sign_in_throttles WHERE last_failure_at < now() - interval '1 day' "
      + "AND (locked_until IS NULL OR locked_until < now())";

  private final Pool pool;
  private final PeopleSettings settings;

  SignInThrottle(Pool pool, PeopleSettings settings) {
    this.pool = pool;
    this.settings = settings;
  }

  /** Fails with a 429 when the email or the address is locked. */
  Future<Void> checkNotLocked(String email, String address) {
    return pool.preparedQuery(LOCKED).execute(Tuple.of(emailKey(email), address)).compose(rows -> {
      Integer seconds = rows.iterator().next().getInteger("seconds");
      if (seconds == null) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(Problem.retryLater(429, "sign-in-locked", "Too many failed sign-ins",
          "Too many wrong passwords: try again in " + seconds + " s", seconds));
    });
  }

  Future<Void> failed(String email, String address) {
    return pool.preparedQuery(FAILED)
        .execute(Tuple.of(emailKey(email), address, settings.maxFailuresPerEmail(), settings.maxFailuresPerAddress(),
            (int) WINDOW.toSeconds(), (int) settings.firstLock().toSeconds(),
            (int) Math.max(MAX_LOCK_SECONDS, settings.firstLock().toSeconds())))
        .mapEmpty();
  }

  Future<Void> succeeded(String email) {
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(emailKey(email)))
        .compose(r -> pool.query(FORGET).execute())
        .mapEmpty();
  }

  /** What the email's count is kept under: a hash of it as typed, ignoring case and outer spaces. */
  static String emailKey(String email) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
