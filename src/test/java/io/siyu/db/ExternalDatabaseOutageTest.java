package io.siyu.db;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.siyu.app.Siyu;
import io.siyu.outbox.Touches;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.siyu.support.Ports;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An external database (SIYU_DB_URL: here a PostgreSQL the test starts, stops and starts again on
 * the same port and data) that goes away and comes back: meanwhile every call is a 503 problem with
 * Retry-After and /health is DOWN; afterwards every door to it works again — the API's pool, the
 * JDBC pool of the journey engine and imports, Quartz, the outbox's pools.
 */
class ExternalDatabaseOutageTest {

  @Test
  void anExternalDatabaseThatGoesAwayIsUsedAgainWhenItReturns() throws Exception {
    Path dir = Files.createTempDirectory("siyu-external");
    int port = Ports.free();
    EmbeddedPostgres server = startServer(dir, port);
    Siyu siyu = TestSiyu.start(TestSiyu.freshConfig(Map.of("SIYU_DB_URL", "postgresql://postgres@localhost:" + port
        + "/postgres")));
    try {
      Api api = TestSiyu.admin(siyu);
      Reply created = api.post("/api/v1/contacts", new JsonObject().put("mobile", "13600000001").put("name", "外部"));
      assertEquals(201, created.status(), created.toString());
      long contact = created.json().getLong("id");

      server.close();
      Eventually.await("the monitor sees the database gone", () -> !siyu.database().available());
      Reply refused = Eventually.await("a 503 while the database is away", () -> {
        Reply r = api.get("/api/v1/contacts/" + contact);
        return r.status() == 503 ? r : null;
      });
      assertEquals("https://siyu.io/problems/database-unavailable", refused.json().getString("type"));
      assertEquals("5", refused.headers().get("Retry-After"));
      Eventually.await("health DOWN", () -> api.get("/health").status() == 503);
      Reply write = api.post("/api/v1/contacts", new JsonObject().put("mobile", "13600000002"));
      assertEquals(503, write.status(), write.toString());

      server = startServer(dir, port);
      Eventually.await("the API back", () -> api.get("/api/v1/contacts/" + contact).status() == 200);
      assertEquals("外部", api.get("/api/v1/contacts/" + contact).json().getString("name"));
      assertEquals(201, api.post("/api/v1/contacts", new JsonObject().put("mobile", "13600000003")).status());
      assertEquals(200, api.get("/health").status());
      try (Connection c = siyu.database().jdbc().getConnection(); ResultSet rs = c.createStatement()
          .executeQuery("SELECT count(*) FROM contacts")) {
        rs.next();
        assertEquals(2, rs.getInt(1), "the JDBC pool reconnected");
      }
      siyu.services().journeys().engine().engine().getRepositoryService().createDeploymentQuery().count();
      assertFalse(siyu.services().schedules().list().isEmpty(), "Quartz runs again");
      long touch = Touches.enqueue(siyu, Touches.touch("after-outage-" + unique(), contact, "log")).get(0);
      Touches.await(api, touch, "sent");
    } finally {
      TestSiyu.stop(siyu);
      server.close();
    }
  }

  private static EmbeddedPostgres startServer(Path dir, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port)
        .setRegisterShutdownHook(false).start();
  }
}
