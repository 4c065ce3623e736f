package io.siyu.journey;

import static io.siyu.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped welcome journey end to end, on the engine's clock (moved, never waited for): a
 * registration enters the member, who gets the gift pack, the 新客 tag and the welcome touch; the
 * day-1 touch waits for the send window; a purchase is the goal and ends the journey; the funnel
 * and the contact's journey history show it all.
 */
class WelcomeJourneyTest {
  private static final Api api = TestSiyu.admin();
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  static List<JsonObject> touches(long contact) {
    Reply r = api.get("/api/v1/touches?contact_id=" + contact);
    assertEquals(200, r.status(), r.toString());
    return r.items().stream().map(o -> (JsonObject) o).toList();
  }

  static JsonObject touch(long contact, String template, String status) {
    return touches(contact).stream().filter(t -> t.getString("template_key").equals(template)
        && (status == null || t.getString("status").equals(status))).findFirst().orElse(null);
  }

  static JsonObject entry(long contact, String journey) {
    return api.get("/api/v1/contacts/" + contact + "/journeys").items().stream().map(o -> (JsonObject) o)
        .filter(e -> e.getString("journey_key").equals(journey)).findFirst().orElse(null);
  }

  static void moveClockTo(LocalDate day, LocalTime time) {
    ClockUtil.setCurrentTime(Date.from(day.atTime(time).atZone(SHANGHAI).toInstant()));
  }

  static long register(String mobile) {
    Reply r = api.post("/api/v1/events", new JsonObject().put("id", "reg-" + mobile).put("type", "member.registered")
        .put("contact", new JsonObject().put("mobile", mobile)));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("contact_id");
  }

  @Test
  void welcomeRunsFromRegistrationToFirstPurchase() {
    String mobile = "+86137" + String.format("%08d", Math.abs(UUID.randomUUID().hashCode()) % 100_000_000);
    long contact = register(mobile);

    JsonObject sent = await("the welcome touch to be sent", () -> touch(contact, "welcome", "sent"));
    assertEquals("log", sent.getString("channel"));
    assertEquals("welcome", sent.getString("journey_key"));
    JsonObject entry = entry(contact, "welcome");
    assertEquals("once", entry.getString("entry_key"));
    assertEquals(new JsonArray().add("day1"), entry.getJsonArray("current_steps"));
    JsonArray tags = api.get("/api/v1/contacts/" + contact + "/tags").json().getJsonArray("items");
    assertTrue(tags.encode().contains("新客"), tags.encode());
    JsonArray rights = api.get("/api/v1/contacts/" + contact + "/rights").items();
    assertEquals(1, rights.size(), rights.encode());
    assertTrue(rights.encode().contains("new_member_pack"), rights.encode());

    // a replayed registration enters nobody twice (re-entry: once)
    api.post("/api/v1/events", new JsonObject().put("id", "reg-again-" + mobile).put("type", "member.registered")
        .put("contact", new JsonObject().put("mobile", mobile)));

    // two days later at 23:00: the day-1 wait is over, but the send window is closed until 09:00
    LocalDate today = LocalDate.now(SHANGHAI);
    moveClockTo(today.plusDays(2), LocalTime.of(23, 0));
    await("the instance to wait for the send window",
        () -> entry(contact, "welcome").getJsonArray("current_steps").contains("window1") ? new JsonObject() : null);
    assertEquals(null, touch(contact, "welcome_day1", null));

    moveClockTo(today.plusDays(3), LocalTime.of(9, 30));
    await("the day-1 touch inside the window", () -> touch(contact, "welcome_day1", "sent"));
    assertEquals(new JsonArray().add("day3"), entry(contact, "welcome").getJsonArray("current_steps"));

    // a purchase is the goal: the journey ends without the day-3 and day-7 touches
    Reply purchase = api.post("/api/v1/events", new JsonObject().put("id", "buy-" + mobile).put("type", "purchase")
        .put("contact_id", contact).put("amount", 99));
    assertEquals(201, purchase.status(), purchase.toString());
    JsonObject done = await("the goal", () -> {
      JsonObject e = entry(contact, "welcome");
      return e.getString("goal_reached_at") != null && e.getString("ended_at") != null ? e : null;
    });
    assertEquals("first_purchase", done.getString("goal"));
    assertEquals(2, touches(contact).size());
    assertEquals(1, api.get("/api/v1/contacts/" + contact + "/journeys").items().stream()
        .filter(e -> ((JsonObject) e).getString("journey_key").equals("welcome")).count());

    JsonObject funnel = TestSiyu.withRole("manager").get("/api/v1/journeys/welcome/funnel").json();
    assertTrue(funnel.getLong("entered") >= 1, funnel.encode());
    assertTrue(funnel.getLong("goal_reached") >= 1, funnel.encode());
    JsonObject nodes = new JsonObject();
    funnel.getJsonArray("nodes").forEach(n -> nodes.put(((JsonObject) n).getString("id"), n));
    assertTrue(nodes.getJsonObject("sendDay1").getLong("reached") >= 1, funnel.encode());
    assertTrue(nodes.getJsonObject("goal").getLong("reached") >= 1, funnel.encode());
    assertTrue(funnel.getJsonObject("touches").getJsonObject("sendWelcome").getLong("sent") >= 1, funnel.encode());
  }
}
