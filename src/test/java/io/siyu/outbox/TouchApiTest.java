package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.auth.Role;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/touches}: listing with filters and pages, one touch with its history, requeue, roles, problems. */
class TouchApiTest {
  private static final Siyu siyu = TestSiyu.get();
  private static final Api api = TestSiyu.admin();
  private static final Map<Role, Api> AS = new EnumMap<>(Role.class);

  @BeforeAll
  static void tokens() {
    for (Role role : Role.values()) {
      Reply r = api.post("/api/v1/tokens", new JsonObject().put("name", "touches-" + role.wire()).put("role", role.wire()));
      assertEquals(201, r.status(), r.toString());
      AS.put(role, TestSiyu.as(r.json().getString("token")));
    }
  }

  @Test
  void listsFilterAndPage() throws Exception {
    long c = Touches.contact(api);
    String journey = "journey-" + unique();
    TouchRequest[] requests = new TouchRequest[5];
    for (int i = 0; i < requests.length; i++) {
      String key = "list-" + i + "-" + unique();
      requests[i] = new TouchRequest(key, c, journey, "pi-1", i < 3 ? "step_a" : "step_b",
          i == 4 ? "nowhere" : "log", "welcome", "{\"i\": " + i + "}");
    }
    List<Long> ids = Touches.enqueue(siyu, requests);
    Touches.await(api, ids.get(4), "dead");
    for (int i = 0; i < 4; i++) {
      Touches.await(api, ids.get(i), "sent");
    }

    JsonArray all = api.get("/api/v1/touches?contact_id=" + c).items();
    List<Long> latestFirst = new java.util.ArrayList<>(ids);
    java.util.Collections.reverse(latestFirst);
    assertEquals(latestFirst, all.stream().map(t -> ((JsonObject) t).getLong("id")).toList(), "the latest first");
    assertEquals(3, api.get("/api/v1/touches?journey_key=" + journey + "&activity_id=step_a").items().size());
    assertEquals(1, api.get("/api/v1/touches?journey_key=" + journey + "&activity_id=step_b&status=sent").items().size());
    JsonArray dead = api.get("/api/v1/touches?contact_id=" + c + "&status=dead").items();
    assertEquals(1, dead.size());
    assertEquals(ids.get(4), dead.getJsonObject(0).getLong("id"));
    assertEquals(0, api.get("/api/v1/touches?journey_key=" + journey + "&activity_id=step_c").items().size());

    Reply first = api.get("/api/v1/touches?contact_id=" + c + "&limit=2");
    assertEquals(2, first.items().size());
    String cursor = first.json().getString("next_cursor");
    assertNotNull(cursor);
    Reply second = api.get("/api/v1/touches?contact_id=" + c + "&limit=2&cursor=" + cursor);
    assertEquals(ids.get(2), second.items().getJsonObject(0).getLong("id"));
    Reply last = api.get("/api/v1/touches?contact_id=" + c + "&limit=2&cursor=" + second.json().getString("next_cursor"));
    assertEquals(1, last.items().size());
    assertEquals(null, last.json().getString("next_cursor"));
  }

  @Test
  void requeueSendsADeadTouchAgainAndRefusesTheRest() throws Exception {
    long c = Touches.contact(api);
    String sentKey = "rq-sent-" + unique();
    String deadKey = "rq-dead-" + unique();
    List<Long> ids = Touches.enqueue(siyu, Touches.touch(sentKey, c, "log"), Touches.touch(deadKey, c, "nowhere"));
    long sent = ids.get(0);
    long dead = ids.get(1);
    Touches.await(api, sent, "sent");
    Touches.await(api, dead, "dead");

    Reply refused = api.post("/api/v1/touches/" + sent + "/requeue", null);
    assertEquals(409, refused.status(), refused.toString());
    assertEquals("conflict", refused.problemType());
    assertTrue(refused.json().getString("detail").contains("is sent"), refused.toString());
    assertTrue(refused.contentType().startsWith("application/problem+json"));

    Reply requeued = AS.get(Role.OPERATOR).post("/api/v1/touches/" + dead + "/requeue", null);
    assertEquals(200, requeued.status(), requeued.toString());
    assertEquals(0, requeued.json().getInteger("attempts"));
    // the channel is still unknown, so the touch dies again, after one more attempt
    JsonObject again = Touches.await(api, dead, "dead");
    assertEquals(1, again.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "dead", "queued", "sending", "dead"), Touches.statuses(again));
    assertTrue(again.getJsonArray("history").getJsonObject(3).getString("detail").startsWith("requeued by token:"));
  }

  @Test
  void problems() {
    Reply missing = api.get("/api/v1/touches/987654321");
    assertEquals(404, missing.status(), missing.toString());
    assertEquals("not-found", missing.problemType());
    assertEquals(404, api.get("/api/v1/touches/abc").status());
    assertEquals(404, api.post("/api/v1/touches/987654321/requeue", null).status());

    for (String query : List.of("status=lost", "contact_id=x", "contact_id=0", "limit=0", "cursor=nope",
        "journey_key=" + "j".repeat(201))) {
      Reply r = api.get("/api/v1/touches?" + query);
      assertEquals(422, r.status(), query + " -> " + r);
      assertEquals("validation", r.problemType());
    }
    assertEquals("status", api.get("/api/v1/touches?status=lost").errorField());
  }

  @Test
  void rolesAreChecked() {
    Set<Role> readers = Set.of(Role.ADMIN, Role.OPERATOR, Role.MANAGER);
    Set<Role> requeuers = Set.of(Role.ADMIN, Role.OPERATOR);
    for (Role role : Role.values()) {
      Api as = AS.get(role);
      Reply list = as.get("/api/v1/touches");
      assertEquals(readers.contains(role) ? 200 : 403, list.status(), role + " list -> " + list);
      Reply one = as.get("/api/v1/touches/987654321");
      assertEquals(readers.contains(role) ? 404 : 403, one.status(), role + " get -> " + one);
      Reply requeue = as.post("/api/v1/touches/987654321/requeue", null);
      assertEquals(requeuers.contains(role) ? 404 : 403, requeue.status(), role + " requeue -> " + requeue);
      if (requeue.status() == 403) {
        assertEquals("forbidden", requeue.problemType());
      }
    }
    for (Api anonymous : List.of(TestSiyu.as(null), TestSiyu.as("siyu_not_a_real_token"))) {
      for (Reply r : List.of(anonymous.get("/api/v1/touches"), anonymous.get("/api/v1/touches/1"),
          anonymous.post("/api/v1/touches/1/requeue", null))) {
        assertEquals(401, r.status(), r.toString());
        assertEquals("unauthorized", r.problemType());
      }
    }
  }

  @Test
  void aOneOffTouchIsSentOnceAndBadInputChangesNothing() {
    long contact = Touches.contact(api);
    io.vertx.core.MultiMap key = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "test-" + unique());
    io.vertx.core.buffer.Buffer body = new JsonObject().put("contact_id", contact).put("channel", "log")
        .put("template", "welcome").put("data", new JsonObject().put("coupon", 50)).toBuffer();
    Reply sent = api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/touches", "application/json", body, key);
    assertEquals(201, sent.status(), sent.toString());
    assertEquals("transactional", sent.json().getString("kind"));
    JsonObject done = Touches.await(api, sent.json().getLong("id"), "sent");
    assertEquals(50, done.getJsonObject("payload").getInteger("coupon"));
    Reply again = api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/touches", "application/json", body, key);
    assertEquals(200, again.status(), "the same Idempotency-Key is the same touch");
    assertEquals(sent.json().getLong("id"), again.json().getLong("id"));

    Reply bad = api.post("/api/v1/touches", new JsonObject().put("contact_id", -1).put("channel", "").put("kind", "spam")
        .put("colour", "red"));
    assertEquals(422, bad.status());
    assertEquals(5, bad.json().getJsonArray("errors").size(), bad.toString());
    assertEquals(404, api.post("/api/v1/touches", new JsonObject().put("contact_id", 999_999_999).put("channel", "log")
        .put("template", "welcome")).status());
    assertEquals(403, AS.get(Role.MANAGER).post("/api/v1/touches", new JsonObject().put("contact_id", contact)
        .put("channel", "log").put("template", "welcome")).status());
  }

  @Test
  void dataNullIsTheSameAsNoData() {
    long contact = Touches.contact(api);
    Reply r = api.post("/api/v1/touches", new JsonObject().put("contact_id", contact).put("channel", "log")
        .put("template", "welcome").put("data", null));
    assertEquals(201, r.status(), r.toString());
    assertEquals("transactional", r.json().getJsonObject("payload").getString("kind"));
  }
}
