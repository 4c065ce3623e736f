package io.siyu.user;

import io.siyu.auth.Principal;
import io.siyu.auth.Role;
import io.siyu.auth.SessionCheck;
import io.siyu.auth.SignedIn;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * Sessions kept in PostgreSQL, so a sign-out or a disabled user ends them on every instance at once:
 * each request with the cookie reads its session (and its person, who must not be disabled). The
 * cookie holds 256 random bits; the table only their SHA-256. A session ends after
 * {@link PeopleSettings#sessionIdle()} without use or {@link PeopleSettings#sessionMax()} after
 * sign-in; its last use is written at most once a minute, so browsing costs reads, not writes.
 */
final class SessionService implements SessionCheck {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** When a session ends, from its two times: the earlier of idle and absolute expiry. */
  private static final String EXPIRES = "least(%1$s.last_seen_at + $2::int * interval '1 second', "
      + "%1$s.created_at + $3::int * interval '1 second')";
  private static final String LIVE = "s.last_seen_at > now() - $2::int * interval '1 second' "
      + "AND s.created_at > now() - $3::int * interval '1 second'";
  private static final String CHECK = "WITH s AS (SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, "
      + "u.email, u.role FROM user_sessions s JOIN users u ON u.id = s.user_id "
      + "WHERE s.token_hash = $1 AND NOT u.disabled AND " + LIVE + "), "
      + "touched AS (UPDATE user_sessions t SET last_seen_at = now() FROM s "
      + "WHERE t.id = s.id AND s.last_seen_at < now() - interval '1 minute' RETURNING t.id, t.last_seen_at, t.created_at) "
      + "SELECT s.id, s.user_id, s.email, s.role, s.csrf_token, "
      + "coalesce((SELECT " + String.format(EXPIRES, "touched") + " FROM touched), " + String.format(EXPIRES, "s")
      + ") AS expires_at FROM s";
  /** A new session, the person's last sign-in, and away with every session that has ended. */
  private static final String CREATE = "WITH signed AS (UPDATE users SET last_sign_in_at = now() WHERE id = $1), "
      + "gone AS (DELETE FROM user_sessions s WHERE NOT (" + LIVE + ")) "
      + "INSERT INTO user_sessions AS n (user_id, token_hash, csrf_token) VALUES ($1, $4, $5) "
      + "RETURNING n.id, " + String.format(EXPIRES, "n") + " AS expires_at";
  private static final String END = "DELETE FROM user_sessions WHERE id = $1";
  private static final String END_OTHERS = "DELETE FROM user_sessions WHERE user_id = $1 AND id <> $2";

  private final Pool pool;
  private final int idleSeconds;
  private final int maxSeconds;

  /** A session just made: the cookie's value (shown only in Set-Cookie) and what the answer says. */
  record Opened(String cookie, SignedIn session) {}

  SessionService(Pool pool, PeopleSettings settings) {
    this.pool = pool;
    this.idleSeconds = (int) settings.sessionIdle().toSeconds();
    this.maxSeconds = (int) settings.sessionMax().toSeconds();
  }

  int maxSeconds() {
    return maxSeconds;
  }

  @Override
  public Future<SignedIn> check(String cookieValue) {
    return pool.preparedQuery(CHECK).execute(Tuple.of(Buffer.buffer(hash(cookieValue)), idleSeconds, maxSeconds))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          Principal who = Principal.person(r.getLong("user_id"), r.getString("email"), Role.fromWire(r.getString("role")));
          return new SignedIn(r.getLong("id"), who, r.getString("csrf_token"), r.getOffsetDateTime("expires_at"));
        });
  }

  Future<Opened> open(UserService.Account who) {
    String cookie = random();
    String csrf = random();
    return pool.preparedQuery(CREATE)
        .execute(Tuple.of(who.id(), idleSeconds, maxSeconds, Buffer.buffer(hash(cookie)), csrf))
        .map(rows -> {
          Row r = rows.iterator().next();
          OffsetDateTime expires = r.getOffsetDateTime("expires_at");
          return new Opened(cookie, new SignedIn(r.getLong("id"), Principal.person(who.id(), who.email(), who.role()),
              csrf, expires));
        });
  }

  Future<Void> end(long sessionId) {
    return pool.preparedQuery(END).execute(Tuple.of(sessionId)).mapEmpty();
  }

  Future<Void> endOthers(long userId, long keptSessionId) {
    return pool.preparedQuery(END_OTHERS).execute(Tuple.of(userId, keptSessionId)).mapEmpty();
  }

  /** 256 random bits, base64url. */
  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] hash(String cookie) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
