package io.siyu.support;

import io.siyu.app.Siyu;
import java.util.Map;

/**
 * A Siyu of a test class's own, for settings other than the shared server's or for work that
 * touches every contact (reviews, recomputes). {@code env} overrides SIYU_* settings.
 */
public record OwnServer(Siyu siyu, Api api) implements AutoCloseable {

  public static OwnServer start(Map<String, String> env) throws Exception {
    Siyu siyu = TestSiyu.start(TestSiyu.freshConfig(env));
    return new OwnServer(siyu, new Api(siyu.vertx(), siyu.httpPort(), TestSiyu.ADMIN_TOKEN));
  }

  @Override
  public void close() throws Exception {
    siyu.stop().toCompletionStage().toCompletableFuture().get();
  }
}
