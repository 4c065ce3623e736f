package io.siyu.support;

import io.siyu.app.Siyu;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Siyu of a test class's own, for settings other than the shared server's or for work that
 * touches every contact (reviews, recomputes). Register it as
 * {@code @RegisterExtension static final OwnServer server = new OwnServer(Map.of(...))};
 * {@code env} overrides SIYU_* settings.
 */
public final class OwnServer implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> env;
  private Siyu siyu;
  private Api api;

  public OwnServer(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    siyu = TestSiyu.start(TestSiyu.freshConfig(env));
    api = new Api(siyu.vertx(), siyu.httpPort(), TestSiyu.ADMIN_TOKEN);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    siyu.stop().toCompletionStage().toCompletableFuture().get();
  }

  public Siyu siyu() {
    return siyu;
  }

  public Api api() {
    return api;
  }

  /** Another Siyu on this one's database, with {@code env}: the caller stops it. */
  public Siyu secondInstance(Map<String, String> env) throws Exception {
    io.siyu.db.Database.DbCoordinates db = siyu.database().coordinates();
    String auth = db.password().isEmpty() ? db.user() : db.user() + ":" + db.password();
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("SIYU_DB_URL", "postgresql://" + auth + "@" + db.host() + ":" + db.port() + "/" + db.database());
    return TestSiyu.start(TestSiyu.freshConfig(all));
  }
}
