package io.siyu.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Member events: idempotent by id, batches all-or-nothing, aggregates kept exactly. */
class EventApiTest {
  private static final Api api = TestSiyu.admin();

  private static String key() {
    return "evt-" + UUID.randomUUID();
  }

  private static String mobile() {
    return "137" + String.format("%08d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % 100_000_000));
  }

  private static JsonObject purchase(String key, String mobile, String amount, String at) {
    return new JsonObject().put("id", key).put("type", "purchase").put("occurred_at", at)
        .put("contact", new JsonObject().put("mobile", mobile)).put("amount", new BigDecimal(amount))
        .put("properties", new JsonObject().put("order_no", key));
  }

  @Test
  void aRepeatedIdIsStoredOnceAndAnsweredWithTheOriginal() {
    String k = key();
    String m = mobile();
    Reply first = api.post("/api/v1/events", purchase(k, m, "99.90", "2026-11-01T10:00:00Z"));
    assertEquals(201, first.status(), first.toString());
    Reply replay = api.post("/api/v1/events", purchase(k, m, "5000.00", "2026-11-02T10:00:00Z"));
    assertEquals(200, replay.status(), replay.toString());
    assertEquals("true", replay.headers().get("Siyu-Duplicate"));
    assertEquals(first.json(), replay.json(), "the original, not the replayed payload");

    JsonObject contact = api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0);
    assertEquals(1, contact.getInteger("purchase_count"));
    assertEquals(0, new BigDecimal("99.90").compareTo(new BigDecimal(contact.getValue("total_spent").toString())));
    assertEquals("2026-11-01T10:00:00Z", contact.getString("last_purchase_at"));
    assertEquals(1, api.get("/api/v1/events?type=purchase&contact_id=" + contact.getLong("id")).items().size());
  }

  @Test
  void purchasesUpdateAggregatesWhateverTheOrderTheyArriveIn() {
    String m = mobile();
    api.post("/api/v1/events", purchase(key(), m, "10.00", "2026-10-05T08:00:00Z"));
    api.post("/api/v1/events", purchase(key(), m, "20.50", "2026-09-01T08:00:00Z"));
    api.post("/api/v1/events", new JsonObject().put("id", key()).put("type", "sign_in")
        .put("occurred_at", "2026-10-20T08:00:00Z").put("contact", new JsonObject().put("mobile", m)));
    JsonObject c = api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0);
    assertEquals(2, c.getInteger("purchase_count"));
    assertEquals(0, new BigDecimal("30.50").compareTo(new BigDecimal(c.getValue("total_spent").toString())));
    assertEquals("2026-10-05T08:00:00Z", c.getString("last_purchase_at"));
    assertEquals("2026-10-20T08:00:00Z", c.getString("last_interaction_at"));
    assertEquals("2026-09-01T08:00:00Z", c.getString("first_seen_at"));
  }

  @Test
  void aBatchStoresNewEventsAndReportsDuplicates() {
    String m = mobile();
    String seen = key();
    api.post("/api/v1/events", purchase(seen, m, "1.00", "2026-11-01T00:00:00Z"));
    JsonArray events = new JsonArray().add(purchase(seen, m, "1.00", "2026-11-01T00:00:00Z"));
    for (int i = 0; i < 20; i++) {
      events.add(new JsonObject().put("id", key()).put("type", "page.viewed")
          .put("contact", new JsonObject().put("mobile", m)).put("properties", new JsonObject().put("i", i)));
    }
    String dupInBatch = events.getJsonObject(5).getString("id");
    events.add(events.getJsonObject(5).copy());
    Reply r = api.post("/api/v1/events/batch", new JsonObject().put("events", events));
    assertEquals(200, r.status(), r.toString());
    assertEquals(20, r.json().getInteger("created"));
    assertEquals(2, r.json().getInteger("duplicates"));
    assertEquals("duplicate", r.json().getJsonArray("results").getJsonObject(0).getString("status"));
    assertEquals(dupInBatch, r.json().getJsonArray("results").getJsonObject(21).getJsonObject("event").getString("id"));
    long contactId = api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0).getLong("id");
    Reply list = api.get("/api/v1/events?contact_id=" + contactId + "&type=page.viewed&limit=500");
    assertEquals(20, list.items().size());
  }

  @Test
  void oneBadEventRejectsTheWholeBatchNamingIt() {
    String m = mobile();
    String good = key();
    JsonArray events = new JsonArray()
        .add(new JsonObject().put("id", good).put("type", "sign_in").put("contact", new JsonObject().put("mobile", m)))
        .add(new JsonObject().put("id", key()).put("type", "Bad Type").put("contact", new JsonObject().put("mobile", m)))
        .add(new JsonObject().put("id", key()).put("type", "purchase").put("contact", new JsonObject().put("mobile", m)));
    Reply r = api.post("/api/v1/events/batch", new JsonObject().put("events", events));
    assertEquals(422, r.status());
    assertEquals("events[1].type", r.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals("events[2].amount", r.json().getJsonArray("errors").getJsonObject(1).getString("field"));
    assertEquals(404, api.get("/api/v1/events/" + good).status(), "nothing stored");
    assertEquals(0, api.get("/api/v1/contacts?mobile=" + m).items().size(), "no contact created either");
  }

  @Test
  void eventValidation() {
    Map<String, JsonObject> cases = Map.of(
        "id", new JsonObject().put("type", "sign_in").put("contact_id", 1),
        "occurred_at", new JsonObject().put("id", key()).put("type", "sign_in").put("contact_id", 1)
            .put("occurred_at", "yesterday"),
        "contact", new JsonObject().put("id", key()).put("type", "sign_in"),
        "contact.mobile", new JsonObject().put("id", key()).put("type", "sign_in")
            .put("contact", new JsonObject().put("mobile", "12")),
        "amount", new JsonObject().put("id", key()).put("type", "purchase").put("contact_id", 1).put("amount", -5),
        "properties", new JsonObject().put("id", key()).put("type", "sign_in").put("contact_id", 1).put("properties", "x"));
    cases.forEach((field, body) -> {
      Reply r = api.post("/api/v1/events", body);
      assertEquals(422, r.status(), field + " " + r);
      assertEquals(field, r.errorField());
    });
    Reply tooMany = api.post("/api/v1/events/batch", new JsonObject().put("events", new JsonArray(
        java.util.Collections.nCopies(1001, new JsonObject()))));
    assertEquals(422, tooMany.status());
    assertEquals("events", tooMany.errorField());
  }

  @Test
  void unknownContactIdIs422() {
    Reply r = api.post("/api/v1/events", new JsonObject().put("id", key()).put("type", "sign_in")
        .put("contact_id", 987654321));
    assertEquals(422, r.status());
    assertEquals("contact_id", r.errorField());
  }

  @Test
  void unknownIdentitiesCreateTheContactByDefault() {
    String m = mobile();
    Reply r = api.post("/api/v1/events", new JsonObject().put("id", key()).put("type", "member.registered")
        .put("contact", new JsonObject().put("mobile", m).put("name", "新会员")));
    assertEquals(201, r.status(), r.toString());
    JsonObject c = api.get("/api/v1/contacts/" + r.json().getLong("contact_id")).json();
    assertEquals("+86" + m, c.getString("mobile"));
    assertEquals("新会员", c.getString("name"));
    assertTrue(c.getString("last_interaction_at") != null);
  }

  @Test
  void eventsListByTypeAndTimeWindowInPages() {
    String m = mobile();
    for (int day = 1; day <= 5; day++) {
      api.post("/api/v1/events", new JsonObject().put("id", key()).put("type", "sign_in")
          .put("occurred_at", "2026-10-0" + day + "T08:00:00Z").put("contact", new JsonObject().put("mobile", m)));
    }
    long contactId = api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0).getLong("id");
    String base = "/api/v1/events?contact_id=" + contactId + "&type=sign_in";
    assertEquals(3, api.get(base + "&since=2026-10-02T00:00:00Z&until=2026-10-05T00:00:00Z").items().size());
    Reply first = api.get(base + "&limit=2");
    assertEquals(2, first.items().size());
    Reply second = api.get(base + "&limit=2&cursor=" + first.json().getString("next_cursor"));
    assertEquals("2026-10-03T08:00:00Z", second.items().getJsonObject(0).getString("occurred_at"));
    assertEquals(5, api.get("/api/v1/contacts/" + contactId + "/events").items().size());
    assertEquals("since", api.get(base + "&since=yesterday").errorField());
    assertEquals("type", api.get("/api/v1/events?type=Not%20A%20Type").errorField());
  }

  @Test
  void concurrentBatchesOverTheSameContactsCountEveryPurchaseOnce() throws Exception {
    String[] mobiles = {mobile(), mobile(), mobile()};
    int threads = 8;
    int perBatch = 30;
    java.util.List<Reply> replies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers[t] = new Thread(() -> {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < perBatch; i++) {
          // each thread walks the contacts in its own order
          String m = mobiles[(i + offset) % mobiles.length];
          batch.add(purchase(key(), m, "1.00", "2026-11-01T00:00:00Z"));
        }
        replies.add(api.post("/api/v1/events/batch", new JsonObject().put("events", batch)));
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    replies.forEach(r -> assertEquals(200, r.status(), r.toString()));
    int total = 0;
    for (String m : mobiles) {
      total += api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0).getInteger("purchase_count");
    }
    assertEquals(threads * perBatch, total);
  }
}
