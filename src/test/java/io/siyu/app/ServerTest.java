package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Health, metrics, and the problem documents every kind of bad request gets. */
class ServerTest {
  private final Api api = TestSiyu.admin();

  @Test
  void healthIsUpOnceMigrated() {
    Reply r = TestSiyu.as(null).get("/health");
    assertEquals(200, r.status());
    assertEquals("UP", r.json().getString("status"));
    assertEquals("UP", r.json().getString("database"));
    assertTrue(r.json().getString("schema_version").matches("\\d+"), r.body());
  }

  @Test
  void metricsArePrometheusTextWithHttpPoolAndJvm() {
    api.get("/api/v1/contacts"); // make sure there is HTTP and pool traffic to report
    Reply r = TestSiyu.as(null).get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
    assertTrue(r.body().contains("vertx_http_server_requests_total"), "HTTP metrics");
    assertTrue(r.body().contains("vertx_pool_"), "database pool metrics");
    assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics");
  }

  @Test
  void malformedJsonIs400Problem() {
    Reply r = api.send(HttpMethod.POST, "/api/v1/contacts", "application/json", Buffer.buffer("{\"mobile\": "));
    assertEquals(400, r.status());
    assertTrue(r.contentType().startsWith("application/problem+json"));
    assertEquals("malformed-request", r.problemType());
    assertEquals(400, r.json().getInteger("status"));
  }

  @Test
  void wrongContentTypeIs415() {
    Reply r = api.send(HttpMethod.POST, "/api/v1/contacts", "text/plain", Buffer.buffer("mobile=1"));
    assertEquals(415, r.status());
    assertEquals("unsupported-media-type", r.problemType());
  }

  @Test
  void oversizedBodyIs413AndStoresNothing() {
    String big = "x".repeat(3 * 1024 * 1024);
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("mobile", "13900000413").put("name", big));
    assertEquals(413, r.status());
    assertEquals("payload-too-large", r.problemType());
    assertEquals(0, api.get("/api/v1/contacts?mobile=13900000413").items().size());
  }

  @Test
  void unknownRouteIs404ProblemAndUnknownIdToo() {
    Reply r = api.get("/api/v1/nothing-here");
    assertEquals(404, r.status());
    assertEquals("not-found", r.problemType());
    Reply id = api.get("/api/v1/contacts/not-a-number");
    assertEquals(404, id.status());
    assertEquals("not-found", id.problemType());
  }

  @Test
  void errorsNeverLeakSqlOrStackTraces() {
    Reply r = api.get("/api/v1/contacts?updated_since=%27%3B%20DROP%20TABLE%20contacts%3B--");
    assertEquals(422, r.status());
    assertFalse(r.body().contains("at io.siyu"), r.body());
    assertFalse(r.body().toLowerCase().contains("select "), r.body());
  }

  @Test
  void aNulCharacterIsRefusedBeforeItReachesTheDatabase() {
    Reply r = api.send(HttpMethod.POST, "/api/v1/tag-groups", "application/json",
        Buffer.buffer("{\"name\": \"bad\\u0000name\"}"));
    assertEquals(422, r.status(), r.toString());
    Reply csv = api.send(HttpMethod.POST, "/api/v1/imports", "text/csv",
        Buffer.buffer("email,name\nnul@x.cn,bad\u0000name\n"));
    assertEquals(202, csv.status(), csv.toString());
    JsonObject job = api.awaitImport(csv.json().getLong("id"));
    assertEquals(1, job.getInteger("rows_rejected"), job.encode());
  }
}
