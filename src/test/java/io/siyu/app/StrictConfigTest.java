package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.siyu.support.Api.Reply;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second server with non-default settings: events for unknown identities are rejected, and
 * imports are capped at 1,000 bytes.
 */
class StrictConfigTest {
  private static OwnServer server;
  private static Siyu siyu;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    server = OwnServer.start(Map.of("SIYU_EVENTS_UNKNOWN_CONTACT", "reject", "SIYU_IMPORT_MAX_BYTES", "1000"));
    siyu = server.siyu();
    api = server.api();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void unknownIdentityIsRejected() {
    Reply r = api.post("/api/v1/events", new JsonObject().put("id", "e-1").put("type", "sign_in")
        .put("contact", new JsonObject().put("email", "nobody@example.com")));
    assertEquals(422, r.status(), r.toString());
    assertEquals("contact", r.errorField());
    assertEquals(0, api.get("/api/v1/contacts?email=nobody@example.com").items().size());

    api.post("/api/v1/contacts", new JsonObject().put("email", "somebody@example.com"));
    assertEquals(201, api.post("/api/v1/events", new JsonObject().put("id", "e-2").put("type", "sign_in")
        .put("contact", new JsonObject().put("email", "SOMEBODY@example.com"))).status());
  }

  @Test
  void anImportOverTheLimitIs413AndLeavesNoJob() {
    String csv = "email\n" + "someone@example.com\n".repeat(100);
    Reply r = api.send(HttpMethod.POST, "/api/v1/imports", "text/csv", Buffer.buffer(csv));
    assertEquals(413, r.status(), r.toString());
    assertEquals("payload-too-large", r.problemType());
    assertEquals(0, api.get("/api/v1/imports").items().size());
  }
}
