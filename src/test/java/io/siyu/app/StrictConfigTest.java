package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.siyu.support.OwnServer;
import io.siyu.support.Api.Reply;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second server with non-default settings: events for unknown identities are rejected, and
 * imports are capped at 1,000 bytes.
 */
class StrictConfigTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of("SIYU_EVENTS_UNKNOWN_CONTACT", "reject", "SIYU_IMPORT_MAX_BYTES", "1000"));

  @Test
  void unknownIdentityIsRejected() {
    Reply r = server.api().post("/api/v1/events", new JsonObject().put("id", "e-1").put("type", "sign_in")
        .put("contact", new JsonObject().put("email", "nobody@example.com")));
    assertEquals(422, r.status(), r.toString());
    assertEquals("contact", r.errorField());
    assertEquals(0, server.api().get("/api/v1/contacts?email=nobody@example.com").items().size());

    server.api().post("/api/v1/contacts", new JsonObject().put("email", "somebody@example.com"));
    assertEquals(201, server.api().post("/api/v1/events", new JsonObject().put("id", "e-2").put("type", "sign_in")
        .put("contact", new JsonObject().put("email", "SOMEBODY@example.com"))).status());
  }

  @Test
  void anImportOverTheLimitIs413AndLeavesNoJob() {
    String csv = "email\n" + "someone@example.com\n".repeat(100);
    Reply r = server.api().send(HttpMethod.POST, "/api/v1/imports", "text/csv", Buffer.buffer(csv));
    assertEquals(413, r.status(), r.toString());
    assertEquals("payload-too-large", r.problemType());
    assertEquals(0, server.api().get("/api/v1/imports").items().size());
  }
}
