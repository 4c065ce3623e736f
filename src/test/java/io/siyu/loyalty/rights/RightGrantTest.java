package io.siyu.loyalty.rights;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Granting rights to contacts: idempotency, stock under concurrency, redemption, expiry, events, roles. */
class RightGrantTest {
  private static final Api api = TestSiyu.admin();

  private static long contact() {
    return api.post("/api/v1/contacts", new JsonObject().put("external_userid", "rights-" + unique())).json().getLong("id");
  }

  /** A new right; {@code stock} null is unlimited. */
  private static String right(Integer stock, int validityDays) {
    String code = "r_" + unique();
    Reply r = api.post("/api/v1/rights", RightCatalogueTest.right(code).put("stock", stock).put("validity_days", validityDays));
    assertEquals(201, r.status(), r.toString());
    return code;
  }

  private static Reply grant(long contact, String code, String key) {
    return grant(api, contact, code, key);
  }

  private static Reply grant(Api client, long contact, String code, String key) {
    return client.post("/api/v1/contacts/" + contact + "/rights",
        new JsonObject().put("right", code).put("grant_key", key).put("reason", "test"));
  }

  private static JsonObject rightByCode(String code) {
    String cursor = null;
    do {
      Reply page = api.get("/api/v1/rights?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
      for (Object o : page.items()) {
        if (code.equals(((JsonObject) o).getString("code"))) {
          return (JsonObject) o;
        }
      }
      cursor = page.json().getString("next_cursor");
    } while (cursor != null);
    throw new AssertionError("no right " + code);
  }

  /** Runs the calls on their own threads, released together so their transactions overlap. */
  private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    CyclicBarrier start = new CyclicBarrier(calls.size());
    try {
      List<Callable<T>> released = calls.stream().<Callable<T>>map(call -> () -> {
        start.await();
        return call.call();
      }).toList();
      List<T> out = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(released)) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aGrantIsIdempotentByItsKey() {
    long c = contact();
    String code = right(3, 30);
    String key = "journey-1:" + unique();
    Reply first = grant(c, code, key);
    assertEquals(201, first.status(), first.toString());
    JsonObject g = first.json();
    assertEquals("granted", g.getString("state"));
    assertEquals(code, g.getString("right_code"));
    assertEquals(c, g.getLong("contact_id"));
    assertEquals("test", g.getString("reason"));
    assertEquals(30L * 86400, Instant.parse(g.getString("expires_at")).getEpochSecond()
        - Instant.parse(g.getString("granted_at")).getEpochSecond());
    assertEquals("/api/v1/contacts/" + c + "/rights/" + g.getLong("id"), first.headers().get("Location"));

    Reply replay = grant(c, code, key);
    assertEquals(200, replay.status(), replay.toString());
    assertEquals(g, replay.json(), "the original grant, unchanged");
    assertEquals(2, rightByCode(code).getInteger("stock"), "stock taken once");
    assertEquals(1, api.get("/api/v1/contacts/" + c + "/rights").items().size());

    Reply otherContact = grant(contact(), code, key);
    assertEquals(409, otherContact.status(), "a key reused for something else is not a replay");
  }

  @Test
  void badGrantsAreClearErrors() {
    long c = contact();
    String code = right(null, 30);
    assertEquals(404, grant(99999999, code, unique()).status());
    Reply unknown = grant(c, "no_such_right_" + unique(), unique());
    assertEquals(422, unknown.status(), unknown.toString());
    assertEquals("right", unknown.errorField());
    Reply noKey = api.post("/api/v1/contacts/" + c + "/rights", new JsonObject().put("right", code));
    assertEquals("grant_key", noKey.errorField());
    assertEquals(422, grant(c, code, "k".repeat(201)).status());

    long id = rightByCode(code).getLong("id");
    api.post("/api/v1/rights/" + id + "/retire", null);
    Reply retired = grant(c, code, unique());
    assertEquals(422, retired.status(), retired.toString());
    assertEquals("right", retired.errorField());

    String empty = right(0, 30);
    Reply out = grant(c, empty, unique());
    assertEquals(409, out.status(), out.toString());
    assertEquals("out-of-stock", out.problemType());
  }

  @Test
  void stockIsNeverOversold() throws Exception {
    String code = right(5, 30);
    List<Callable<Reply>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long c = contact();
      String key = "oversell-" + unique();
      calls.add(() -> grant(TestSiyu.as(TestSiyu.ADMIN_TOKEN), c, code, key));
    }
    List<Reply> replies = concurrently(calls);
    assertEquals(5, replies.stream().filter(r -> r.status() == 201).count(), replies.toString());
    List<Reply> refused = replies.stream().filter(r -> r.status() != 201).toList();
    assertEquals(15, refused.size());
    refused.forEach(r -> {
      assertEquals(409, r.status(), r.toString());
      assertEquals("out-of-stock", r.problemType());
    });
    assertEquals(0, rightByCode(code).getInteger("stock"));
  }

  @Test
  void concurrentReplaysGrantOnce() throws Exception {
    long c = contact();
    String code = right(10, 30);
    String key = "replay-" + unique();
    List<Callable<Reply>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(() -> grant(TestSiyu.as(TestSiyu.ADMIN_TOKEN), c, code, key));
    }
    List<Reply> replies = concurrently(calls);
    assertEquals(1, replies.stream().filter(r -> r.status() == 201).count(), replies.toString());
    assertEquals(9, replies.stream().filter(r -> r.status() == 200).count(), replies.toString());
    Set<Long> ids = replies.stream().map(r -> r.json().getLong("id")).collect(Collectors.toSet());
    assertEquals(1, ids.size());
    assertEquals(9, rightByCode(code).getInteger("stock"));
    assertEquals(1, api.get("/api/v1/contacts/" + c + "/rights").items().size());
    assertEquals(1, api.get("/api/v1/events?contact_id=" + c + "&type=right.granted").items().size());
  }

  @Test
  void redeemOnceAndListNewestFirst() {
    long c = contact();
    String code = right(null, 30);
    long first = grant(c, code, unique()).json().getLong("id");
    long second = grant(c, code, unique()).json().getLong("id");

    Reply redeemed = api.post("/api/v1/contacts/" + c + "/rights/" + first + "/redeem", null);
    assertEquals(200, redeemed.status(), redeemed.toString());
    assertEquals("redeemed", redeemed.json().getString("state"));
    assertNotNull(redeemed.json().getString("redeemed_at"));
    Reply again = api.post("/api/v1/contacts/" + c + "/rights/" + first + "/redeem", null);
    assertEquals(409, again.status(), again.toString());
    assertTrue(again.json().getString("detail").contains("already redeemed"), again.toString());
    assertEquals(404, api.post("/api/v1/contacts/" + contact() + "/rights/" + first + "/redeem", null).status(),
        "a grant is redeemed through its own contact");

    JsonArray list = api.get("/api/v1/contacts/" + c + "/rights").items();
    assertEquals(second, list.getJsonObject(0).getLong("id"));
    assertEquals("granted", list.getJsonObject(0).getString("state"));
    assertEquals("redeemed", list.getJsonObject(1).getString("state"));
    Reply paged = api.get("/api/v1/contacts/" + c + "/rights?limit=1");
    Reply next = api.get("/api/v1/contacts/" + c + "/rights?limit=1&cursor=" + paged.json().getString("next_cursor"));
    assertEquals(first, next.items().getJsonObject(0).getLong("id"));
    assertEquals(404, api.get("/api/v1/contacts/99999999/rights").status());

    JsonObject event = api.get("/api/v1/events?contact_id=" + c + "&type=right.redeemed").items().getJsonObject(0);
    assertEquals("right.redeemed:" + first, event.getString("id"));
    assertEquals(first, event.getJsonObject("properties").getLong("grant_id"));
    assertEquals(code, event.getJsonObject("properties").getString("right_code"));
  }

  @Test
  void overdueGrantsExpire() throws Exception {
    long c = contact();
    String code = right(null, 1);
    long id = grant(c, code, unique()).json().getLong("id");
    try (Connection conn = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement st = conn.prepareStatement(
            "UPDATE right_grants SET granted_at = now() - interval '2 days', expires_at = now() - interval '1 day' "
                + "WHERE id = ?")) {
      st.setLong(1, id);
      assertEquals(1, st.executeUpdate());
    }
    String path = "/api/v1/contacts/" + c + "/rights/" + id;
    assertEquals("expired", api.get(path).json().getString("state"), "overdue reads as expired before the step runs");

    Reply expired = api.post("/api/v1/rights/expire", null);
    assertEquals(200, expired.status(), expired.toString());
    assertEquals(1, expired.json().getLong("expired"));
    assertEquals(0, api.post("/api/v1/rights/expire", null).json().getLong("expired"), "nothing left to expire");
    assertEquals("expired", api.get(path).json().getString("state"));

    Reply redeem = api.post(path + "/redeem", null);
    assertEquals(409, redeem.status(), redeem.toString());
    assertTrue(redeem.json().getString("detail").contains("expired"), redeem.toString());

    for (String type : List.of("right.granted", "right.expired")) {
      JsonArray events = api.get("/api/v1/events?contact_id=" + c + "&type=" + type).items();
      assertEquals(1, events.size(), type);
      assertEquals(type + ":" + id, events.getJsonObject(0).getString("id"));
    }
    assertEquals(0, api.get("/api/v1/events?contact_id=" + c + "&type=right.redeemed").items().size());
  }

  @Test
  void rolesAreChecked() {
    String manager = api.post("/api/v1/tokens", new JsonObject().put("name", "rights-mgr").put("role", "manager"))
        .json().getString("token");
    Api asManager = TestSiyu.as(manager);
    long c = contact();
    String code = right(null, 30);
    assertEquals(403, asManager.post("/api/v1/contacts/" + c + "/rights",
        new JsonObject().put("right", code).put("grant_key", unique())).status());
    assertEquals(403, asManager.post("/api/v1/rights", RightCatalogueTest.right("m_" + unique())).status());
    assertEquals(403, asManager.post("/api/v1/rights/expire", null).status());
    assertEquals(200, asManager.get("/api/v1/rights").status());
    assertEquals(200, asManager.get("/api/v1/contacts/" + c + "/rights").status());

    String operator = api.post("/api/v1/tokens", new JsonObject().put("name", "rights-op").put("role", "operator"))
        .json().getString("token");
    assertEquals(201, TestSiyu.as(operator).post("/api/v1/contacts/" + c + "/rights",
        new JsonObject().put("right", code).put("grant_key", unique())).status());
    assertEquals(403, TestSiyu.as(operator).post("/api/v1/rights/expire", null).status());
  }

  @Test
  void aRightForSomeTiersGoesOnlyToThoseMembers() {
    String code = "gold_" + unique();
    Reply created = api.post("/api/v1/rights", RightCatalogueTest.right(code).put("tiers", new JsonArray().add("金卡")));
    assertEquals(201, created.status(), created.toString());
    long ordinary = contact();
    Reply refused = grant(ordinary, code, "k-" + unique());
    assertEquals(409, refused.status(), refused.toString());
    assertEquals("not-eligible", refused.problemType());

    long gold = contact();
    api.post("/api/v1/events", new JsonObject().put("id", "gold-" + unique()).put("type", "purchase")
        .put("contact_id", gold).put("amount", 10000));
    assertEquals(201, grant(gold, code, "k-" + unique()).status());
  }
}
