package io.siyu.auth;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.Table;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens: 256 random bits shown once at creation, stored as a SHA-256 hash. A slow password
 * hash buys nothing for secrets this long, and a fast one keeps every request cheap. Listings show
 * at most the {@code siyu_} marker and four more characters ({@link TokenStrength#shownPrefix}).
 */
public final class TokenService {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Recently verified tokens; a revoke on this instance evicts at once, others within the TTL. */
  private static final long CACHE_MILLIS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(TokenService.class);
  /** A token as the API shows it, in the order of its JSON. */
  private static final String COLUMNS = "id, name, role, token_prefix, bootstrap, created_at, revoked_at, last_used_at";
  private static final String VERIFY = "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL "
      + "RETURNING id, name, role";
  private static final String INSERT = "INSERT INTO api_tokens (name, role, token_hash, token_prefix, created_by, "
      + "created_by_user, bootstrap) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS;
  private static final String ANY_LIVE_ADMIN = "SELECT 1 FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1";
  /** See {@link #useConfigured}. */
  private static final String USE_CONFIGURED = "WITH made AS (INSERT INTO api_tokens (name, role, token_hash, token_prefix, bootstrap) "
      + "VALUES ('bootstrap', 'admin', $1, $2, true) ON CONFLICT (token_hash) DO NOTHING RETURNING id), "
      + "retired AS (UPDATE api_tokens SET revoked_at = now() "
      + "WHERE bootstrap AND revoked_at IS NULL AND token_hash <> $1 RETURNING id) "
      + "SELECT (SELECT count(*) FROM made) AS made, (SELECT count(*) FROM retired) AS retired, "
      + "(SELECT revoked_at IS NOT NULL FROM api_tokens WHERE token_hash = $1) AS revoked";
  private static final String REVOKE = "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id";

  private final Pool pool;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Principal principal, long until) {}

  public TokenService(Pool pool) {
    this.pool = pool;
  }

  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return TokenStrength.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
    return pool.preparedQuery(VERIFY)
        .execute(Tuple.of(Buffer.buffer(hash(token))))
        .map(rows -> {
          if (rows.size() == 0) {
            cache.remove(token);
            return null;
          }
          Row r = rows.iterator().next();
          Principal p = Principal.token(r.getLong("id"), r.getString("name"), Role.fromWire(r.getString("role")));
          cache.put(token, new Cached(p, System.currentTimeMillis() + CACHE_MILLIS));
          return p;
        });
  }

  /** Creates a token for {@code creator} (a token or a person); the returned JSON is the only place its secret appears. */
  public Future<JsonObject> create(String name, Role role, Principal creator) {
    return insert(name, role, creator, false);
  }

  private Future<JsonObject> insert(String name, Role role, Principal creator, boolean bootstrap) {
    String secret = newSecret();
    return pool.preparedQuery(INSERT)
        .execute(Tuple.from(java.util.Arrays.asList(name, role.wire(), Buffer.buffer(hash(secret)),
            TokenStrength.shownPrefix(secret), creator == null ? null : creator.tokenId(),
            creator == null ? null : creator.userId(), bootstrap)))
        .map(rows -> RowJson.of(rows.iterator().next()).put("token", secret));
  }

  /**
   * Makes sure there is a way in for an admin at start. With {@code configured} (SIYU_ADMIN_TOKEN,
   * checked by {@link TokenStrength} before): that token is the bootstrap token — made when new, and
   * every earlier bootstrap token (generated, or of an earlier value) revoked; a revoked one stays
   * revoked. Without: when no admin token is live, a generated one that the caller prints once.
   *
   * @return the generated secret, or null when nothing was generated
   */
  public Future<String> bootstrap(String configured) {
    if (configured != null) {
      return useConfigured(configured).map(v -> (String) null);
    }
    return pool.query(ANY_LIVE_ADMIN)
        .execute()
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(null)
            : insert("bootstrap", Role.ADMIN, null, true).map(j -> j.getString("token")));
  }

  /**
   * One statement: the configured token's row (made unless its hash is known: a revoked one is
   * never revived) and the revocation of every other live bootstrap token, so a changed value
   * leaves the old one useless. Instances starting together with the same value agree.
   */
  private Future<Void> useConfigured(String configured) {
    return pool.preparedQuery(USE_CONFIGURED)
        .execute(Tuple.of(Buffer.buffer(hash(configured)), TokenStrength.shownPrefix(configured)))
        .map(rows -> {
          Row r = rows.iterator().next();
          if (r.getLong("retired") > 0) {
            log.info("SIYU_ADMIN_TOKEN has a new value: {} earlier bootstrap token(s) revoked", r.getLong("retired"));
          }
          if (Boolean.TRUE.equals(r.getBoolean("revoked"))) {
            log.warn("The token in SIYU_ADMIN_TOKEN was revoked and stays revoked; to get a new bootstrap token, "
                + "set a new value ({})", TokenStrength.HOW_TO_MAKE_ONE);
          }
          return null;
        });
  }

  /** Newest first by default; by name for finding one. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "id"), Sorts.text("name", "name"));

  public Future<JsonObject> list(Page page) {
    return new Table(pool, "api_tokens", COLUMNS, "Token", RowJson::of).page(page);
  }

  public Future<Void> revoke(long id) {
    return pool.preparedQuery(REVOKE)
        .execute(Tuple.of(id))
        .map(rows -> {
          Rows.first(rows, "Token " + id);
          // this instance forgets it at once; other instances within CACHE_MILLIS
          cache.values().removeIf(c -> c.principal.id() == id);
          return null;
        });
  }
}
