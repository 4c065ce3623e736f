package io.siyu.support;

import io.siyu.app.Siyu;
import io.siyu.db.Database.DbCoordinates;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Siyu of a test class's own, for settings other than the shared server's or for work that
 * touches every contact (reviews, recomputes). Register it as
 * {@code @RegisterExtension static final OwnServer server = new OwnServer(Map.of(...))};
 * {@code envs} override SIYU_* settings, a later map over an earlier one (a fake's
 * {@code env()}, then the test's own). A fake registered above the server is closed after it stops.
 */
public final class OwnServer implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> env = new HashMap<>();
  private Siyu siyu;
  private Api api;

  @SafeVarargs
  public OwnServer(Map<String, String>... envs) {
    for (Map<String, String> e : envs) {
      env.putAll(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    siyu = TestSiyu.start(TestSiyu.freshConfig(env));
    api = TestSiyu.admin(siyu);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestSiyu.stop(siyu);
  }

  public Siyu siyu() {
    return siyu;
  }

  /** A client with the tests' admin token. */
  public Api api() {
    return api;
  }

  /** A client with {@code token}; null sends no Authorization header (a provider's webhook, say). */
  public Api as(String token) {
    return TestSiyu.as(siyu, token);
  }

  /** Another Siyu on this one's database, with {@code env}: the caller stops it. */
  public Siyu secondInstance(Map<String, String> env) throws Exception {
    DbCoordinates db = siyu.database().coordinates();
    String auth = db.password().isEmpty() ? db.user() : db.user() + ":" + db.password();
    Map<String, String> all = new HashMap<>(env);
    all.put("SIYU_DB_URL", "postgresql://" + auth + "@" + db.host() + ":" + db.port() + "/" + db.database());
    return TestSiyu.start(TestSiyu.freshConfig(all));
  }
}
