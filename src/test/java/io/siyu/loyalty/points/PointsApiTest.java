package io.siyu.loyalty.points;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The points ledger: idempotent changes, FIFO spending, no overdraft under concurrency, expiry. */
class PointsApiTest {
  private static final Api api = TestSiyu.admin();

  private static long contact() {
    return api.post("/api/v1/contacts", new JsonObject().put("openid", "pts-" + UUID.randomUUID())).json().getLong("id");
  }

  private static String key() {
    return "k-" + UUID.randomUUID();
  }

  private static Reply earn(long c, int points, String key) {
    return api.post("/api/v1/contacts/" + c + "/points/earn",
        new JsonObject().put("points", points).put("reason", "purchase").put("key", key));
  }

  private static Reply redeem(long c, int points, String key) {
    return api.post("/api/v1/contacts/" + c + "/points/redeem",
        new JsonObject().put("points", points).put("reason", "coupon").put("key", key));
  }

  private static int balance(long c) {
    return api.get("/api/v1/contacts/" + c + "/points").json().getInteger("balance");
  }

  private static void sql(String statement, Object... params) throws Exception {
    try (Connection conn = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  @Test
  void earnAndRedeemAreIdempotentByKey() {
    long c = contact();
    String k = key();
    Reply first = earn(c, 100, k);
    assertEquals(201, first.status(), first.toString());
    Reply again = earn(c, 100, k);
    assertEquals(200, again.status());
    assertEquals(first.json(), again.json());
    assertEquals(100, balance(c));
    assertEquals(409, earn(c, 999, k).status(), "a key reused for another change is a conflict");

    String r = key();
    assertEquals(201, redeem(c, 30, r).status());
    assertEquals(200, redeem(c, 30, r).status());
    assertEquals(70, balance(c));
    assertEquals(70, api.get("/api/v1/contacts/" + c).json().getInteger("points_balance"));
  }

  @Test
  void aRedeemBeyondTheBalanceIs409AndChangesNothing() {
    long c = contact();
    earn(c, 50, key());
    Reply r = redeem(c, 51, key());
    assertEquals(409, r.status());
    assertEquals("insufficient-points", r.problemType());
    assertEquals(50, balance(c));
    assertEquals(1, api.get("/api/v1/contacts/" + c + "/points/ledger").items().size());
  }

  @Test
  void theLotsThatExpireFirstAreSpentFirst() {
    long c = contact();
    String later = java.time.OffsetDateTime.now().plusDays(100).toString();
    String sooner = java.time.OffsetDateTime.now().plusDays(10).toString();
    api.post("/api/v1/contacts/" + c + "/points/earn", new JsonObject().put("points", 50).put("reason", "a")
        .put("key", key()).put("expires_at", later));
    api.post("/api/v1/contacts/" + c + "/points/earn", new JsonObject().put("points", 50).put("reason", "b")
        .put("key", key()).put("expires_at", sooner));
    assertEquals(201, redeem(c, 60, key()).status());
    JsonArray lots = api.get("/api/v1/contacts/" + c + "/points").json().getJsonArray("lots");
    assertEquals(1, lots.size(), lots.encode());
    assertEquals(40, lots.getJsonObject(0).getInteger("points"), "the sooner lot went first, then 10 of the later");
  }

  @Test
  void concurrentRedeemsNeverOverdraw() throws Exception {
    long c = contact();
    earn(c, 100, key());
    List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread t = new Thread(() -> replies.add(redeem(c, 30, key())));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(3, replies.stream().filter(r -> r.status() == 201).count());
    assertEquals(7, replies.stream().filter(r -> r.status() == 409).count());
    assertEquals(10, balance(c));
  }

  @Test
  void expiryTakesDueLotsOnceAndAnnouncesThoseAboutToExpire() throws Exception {
    long c = contact();
    String dueKey = key();
    earn(c, 40, dueKey);
    earn(c, 25, key());
    sql("UPDATE points_ledger SET expires_at = now() - interval '1 second' WHERE idempotency_key = ?", dueKey);
    String soonKey = key();
    earn(c, 5, soonKey);
    sql("UPDATE points_ledger SET expires_at = now() + interval '2 days' WHERE idempotency_key = ?", soonKey);

    // a redeem does not count the due lot, even before the daily run
    assertEquals(409, redeem(c, 31, key()).status());
    assertEquals(30, balance(c));

    Reply run = api.post("/api/v1/points/expire", new JsonObject());
    assertEquals(200, run.status(), run.toString());
    assertTrue(run.json().getInteger("notices") >= 1, run.toString());
    assertEquals(30, balance(c));
    JsonArray ledger = api.get("/api/v1/contacts/" + c + "/points/ledger").items();
    assertEquals(1, ledger.stream().filter(o -> "expire".equals(((JsonObject) o).getString("kind"))).count());
    assertEquals(-40, ledger.stream().map(o -> (JsonObject) o).filter(o -> "expire".equals(o.getString("kind")))
        .findFirst().orElseThrow().getInteger("points"));

    api.post("/api/v1/points/expire", new JsonObject());
    Reply notices = api.get("/api/v1/events?contact_id=" + c + "&type=points.expiring");
    assertEquals(1, notices.items().size(), "one notice per lot, however often the run happens");
    assertEquals(5, notices.items().getJsonObject(0).getJsonObject("properties").getInteger("points"));
  }

  @Test
  void requestsAreValidatedAndRolesApply() {
    long c = contact();
    assertEquals("points", api.post("/api/v1/contacts/" + c + "/points/earn",
        new JsonObject().put("points", 0).put("reason", "x").put("key", key())).errorField());
    assertEquals("key", api.post("/api/v1/contacts/" + c + "/points/redeem",
        new JsonObject().put("points", 1).put("reason", "x")).errorField());
    assertEquals("expires_at", api.post("/api/v1/contacts/" + c + "/points/earn", new JsonObject().put("points", 1)
        .put("reason", "x").put("key", key()).put("expires_at", "2001-01-01T00:00:00Z")).errorField());
    assertEquals(404, earn(99999999, 10, key()).status());
    String manager = api.post("/api/v1/tokens", new JsonObject().put("name", "pts-mgr").put("role", "manager"))
        .json().getString("token");
    assertEquals(403, TestSiyu.as(manager).post("/api/v1/contacts/" + c + "/points/earn",
        new JsonObject().put("points", 1).put("reason", "x").put("key", key())).status());
    assertEquals(200, TestSiyu.as(manager).get("/api/v1/contacts/" + c + "/points").status());
    assertEquals(403, TestSiyu.as(manager).post("/api/v1/points/expire", new JsonObject()).status());
  }

  @Test
  void theBalanceIsASegmentField() {
    long c = contact();
    earn(c, 777, key());
    Reply r = api.post("/api/v1/segments/preview", new JsonObject().put("filter", new JsonObject().put("all",
        new JsonArray().add(new JsonObject().put("field", "points_balance").put("op", "eq").put("value", 777))
            .add(new JsonObject().put("field", "openid").put("op", "starts_with").put("value", "pts-")))));
    assertEquals(200, r.status(), r.toString());
    assertTrue(r.json().getLong("count") >= 1);
  }
}
