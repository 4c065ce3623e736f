package io.siyu.auth;

import io.siyu.db.Rows;
import io.siyu.db.Table;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API tokens: 256 random bits shown once at creation, stored as a SHA-256 hash. A slow password
 * hash buys nothing for secrets this long, and a fast one keeps every request cheap.
 */
public final class TokenService {
  public static final String PREFIX = "siyu_";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Recently verified tokens; a revoke on this instance evicts at once, others within the TTL. */
  private static final long CACHE_MILLIS = 5_000;

  private final Pool pool;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Principal principal, long until) {}

  public TokenService(Pool pool) {
    this.pool = pool;
  }

  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The principal for a presented token, or null when it is unknown or revoked. */
  public Future<Principal> verify(String token) {
    Cached c = cache.get(token);
    if (c != null && c.until > System.currentTimeMillis()) {
      return Future.succeededFuture(c.principal);
    }
    return pool.preparedQuery(
            "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL "
                + "RETURNING id, name, role")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash(token))))
        .map(rows -> {
          if (rows.size() == 0) {
            cache.remove(token);
            return null;
          }
          Row r = rows.iterator().next();
          Principal p = new Principal(r.getLong("id"), r.getString("name"), Role.fromWire(r.getString("role")));
          cache.put(token, new Cached(p, System.currentTimeMillis() + CACHE_MILLIS));
          return p;
        });
  }

  /** Creates a token; the returned JSON is the only place its secret ever appears. */
  public Future<JsonObject> create(String name, Role role, Long createdBy) {
    String secret = newSecret();
    return pool.preparedQuery(
            "INSERT INTO api_tokens (name, role, token_hash, token_prefix, created_by) VALUES ($1, $2, $3, $4, $5) "
                + "RETURNING id, name, role, token_prefix, created_at, revoked_at, last_used_at")
        .execute(Tuple.of(name, role.wire(), io.vertx.core.buffer.Buffer.buffer(hash(secret)),
            secret.substring(0, PREFIX.length() + 6), createdBy))
        .map(rows -> toJson(rows.iterator().next()).put("token", secret));
  }

  /**
   * Makes sure the bootstrap admin token works: the configured one, or, when none is configured
   * and no admin token exists yet, a generated one that the caller prints once.
   *
   * @return the generated secret, or null when nothing was generated
   */
  public Future<String> bootstrap(String configured) {
    if (configured != null) {
      return pool.preparedQuery(
              "INSERT INTO api_tokens (name, role, token_hash, token_prefix) VALUES ('bootstrap', 'admin', $1, $2) "
                  + "ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL")
          .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash(configured)),
              configured.substring(0, Math.min(configured.length(), PREFIX.length() + 6))))
          .map(r -> (String) null);
    }
    return pool.query("SELECT 1 FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1")
        .execute()
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(null)
            : create("bootstrap", Role.ADMIN, null).map(j -> j.getString("token")));
  }

  /** Newest first by default; by name for finding one. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "id"), Sorts.text("name", "name"));

  public Future<JsonObject> list(Page page) {
    return new Table(pool, "api_tokens", "id, name, role, token_prefix, created_at, revoked_at, last_used_at",
        "Token", TokenService::toJson).page(page);
  }

  public Future<Void> revoke(long id) {
    return pool.preparedQuery(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id")
        .execute(Tuple.of(id))
        .map(rows -> {
          Rows.first(rows, "Token " + id);
          // this instance forgets it at once; other instances within CACHE_MILLIS
          cache.values().removeIf(c -> c.principal.tokenId() == id);
          return null;
        });
  }

  private static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("name", r.getString("name"))
        .put("role", r.getString("role"))
        .put("token_prefix", r.getString("token_prefix"))
        .put("created_at", Rows.instant(r.getOffsetDateTime("created_at")))
        .put("revoked_at", Rows.instant(r.getOffsetDateTime("revoked_at")))
        .put("last_used_at", Rows.instant(r.getOffsetDateTime("last_used_at")));
  }
}
