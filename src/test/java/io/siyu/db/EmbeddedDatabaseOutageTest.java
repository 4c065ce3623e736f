package io.siyu.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.SiyuProcess;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL killed with SIGKILL under a running Siyu (a process of its own, so its
 * whole log can be read): meanwhile the API answers 503 problems with Retry-After, Siyu restarts
 * the database, and everything acknowledged is there afterwards, with nothing half-written. The
 * outage is logged once when it begins and once when it ends, not once per request.
 */
class EmbeddedDatabaseOutageTest {
  private static final Duration START = Duration.ofSeconds(240);
  private static final long OUTAGE_BOUND_MS = 120_000;

  @Test
  void aKilledEmbeddedDatabaseIsRestartedWhileTheApiAnswers503() throws Exception {
    Path data = Files.createTempDirectory("siyu-outage");
    try (SiyuProcess siyu = SiyuProcess.start(data, Map.of())) {
      siyu.awaitUp(START);
      Api api = siyu.admin();
      String mobile = "13700000001";
      List<String> sent = new ArrayList<>(List.of("before"));
      assertEquals(201, api.post("/api/v1/events", purchase("before", mobile)).status());
      long contact = api.get("/api/v1/contacts?mobile=" + mobile).items().getJsonObject(0).getLong("id");
      int loggedBefore = siyu.log().size();

      SiyuProcess.postmaster(data).orElseThrow().destroyForcibly();

      // a purchase every 100 ms until one is stored after the refusals: each is stored and answered
      // 201, or refused with a 503 problem
      List<String> acknowledged = new ArrayList<>(List.of("before"));
      int refused = 0;
      boolean back = false;
      long deadline = System.currentTimeMillis() + OUTAGE_BOUND_MS;
      while (!back) {
        assertTrue(System.currentTimeMillis() < deadline, "the database was not back within " + OUTAGE_BOUND_MS
            + " ms:\n" + siyu.tail());
        String key = "during-" + sent.size();
        sent.add(key);
        Reply r = api.post("/api/v1/events", purchase(key, mobile));
        if (r.status() == 201) {
          acknowledged.add(key);
          back = refused > 0;
        } else {
          assertUnavailable(r);
          refused++;
        }
        Thread.sleep(100);
      }
      Reply health = siyu.api("").get("/health");
      assertEquals(200, health.status(), health.toString());

      // nothing half-written: the contact counts exactly the purchases that were stored
      List<String> stored = sent.stream().filter(k -> api.get("/api/v1/events/" + k).status() == 200).toList();
      assertTrue(stored.containsAll(acknowledged), "acknowledged " + acknowledged + ", stored " + stored);
      assertEquals(stored.size(), api.get("/api/v1/contacts/" + contact).json().getInteger("purchase_count"));

      List<String> outage = siyu.log().subList(loggedBefore, siyu.log().size());
      System.out.printf("%d requests refused; %d log lines from the kill to the return%n", refused, outage.size());
      assertEquals(1, count(outage, "Database unavailable"), String.join("\n", outage));
      assertEquals(1, count(outage, "Database available again"), String.join("\n", outage));
      assertEquals(0, count(outage, "ProblemHandler"), "no request's failure is logged");
      assertTrue(outage.size() < 1000, outage.size() + " log lines");
    }
  }

  private static void assertUnavailable(Reply r) {
    assertEquals(503, r.status(), r.toString());
    assertEquals("application/problem+json", r.headers().get("Content-Type"));
    assertEquals("https://siyu.io/problems/database-unavailable", r.json().getString("type"));
    assertEquals("5", r.headers().get("Retry-After"));
  }

  private static JsonObject purchase(String key, String mobile) {
    return new JsonObject().put("id", key).put("type", "purchase").put("occurred_at", "2026-11-01T10:00:00Z")
        .put("contact", new JsonObject().put("mobile", mobile)).put("amount", new BigDecimal("10.00"));
  }

  private static long count(List<String> lines, String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }
}
