package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.Ports;
import io.siyu.support.TestSiyu;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /health says 503 while the database is unreachable, and again when it goes away later. */
class HealthTest {

  private static Reply pollHealth(Siyu siyu, int port) throws Exception {
    Api anonymous = new Api(siyu.vertx(), port, null);
    for (int i = 0; i < 100; i++) {
      try {
        return anonymous.get("/health");
      } catch (IllegalStateException notListeningYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("HTTP never came up");
  }

  @Test
  void unreachableDatabaseIs503WhileSiyuKeepsTrying() throws Exception {
    int port = Ports.free();
    // nothing listens on port 1: every connection attempt is refused
    Siyu siyu = TestSiyu.startInBackground(TestSiyu.freshConfig(Map.of(
        "SIYU_DB_URL", "postgresql://siyu:secret@127.0.0.1:1/siyu", "SIYU_HTTP_PORT", String.valueOf(port))));
    try {
      Reply health = pollHealth(siyu, port);
      assertEquals(503, health.status(), health.toString());
      assertEquals("DOWN", health.json().getString("status"));
      Reply api = new Api(siyu.vertx(), port, TestSiyu.ADMIN_TOKEN).get("/api/v1/contacts");
      assertEquals(503, api.status());
      assertEquals("application/problem+json", api.contentType());
    } finally {
      TestSiyu.stop(siyu);
    }
  }

  @Test
  void aDatabaseThatGoesAwayTurnsHealthTo503() throws Exception {
    Siyu siyu = TestSiyu.start(TestSiyu.freshConfig(Map.of("SIYU_DB_URL", "")));
    try {
      Api api = TestSiyu.as(siyu, null);
      assertEquals(200, api.get("/health").status());
      siyu.database().close(); // stops the embedded PostgreSQL under the running server
      Reply down = api.get("/health");
      assertEquals(503, down.status(), down.toString());
      assertEquals("DOWN", down.json().getString("database"));
    } finally {
      TestSiyu.stop(siyu);
    }
  }
}
