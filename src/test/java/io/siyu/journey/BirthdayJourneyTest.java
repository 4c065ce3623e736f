package io.siyu.journey;

import static io.siyu.support.Eventually.await;
import static io.siyu.journey.WelcomeJourneyTest.entry;
import static io.siyu.journey.WelcomeJourneyTest.moveClockTo;
import static io.siyu.journey.WelcomeJourneyTest.touch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped birthday journey end to end on the engine's clock: the birthday scan at 09:00 local
 * grants 生日权益 and sends the birthday message; redeeming the right is the goal; a member who
 * has not redeemed it after 3 days is reminded once, inside the send window.
 */
class BirthdayJourneyTest {
  private static final Api api = TestSiyu.admin();
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  /** A member born on {@code day}'s month and day; the scan runs at 10:00 that day. */
  private static long birthdayMember(LocalDate day) {
    LocalDate born = day.getMonthValue() == 2 && day.getDayOfMonth() == 29 ? day.minusYears(4) : day.minusYears(30);
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "bday-" + UUID.randomUUID())
        .put("birthday", born.toString()).put("timezone", "Asia/Shanghai"));
    assertEquals(201, r.status(), r.toString());
    long contact = r.json().getLong("id");
    moveClockTo(day, LocalTime.of(10, 0));
    try {
      TestSiyu.get().services().journeys().birthdayScan().run(ClockUtil.getCurrentTime().toInstant());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return contact;
  }

  private static JsonObject birthdayGrant(long contact) {
    JsonArray rights = api.get("/api/v1/contacts/" + contact + "/rights").items();
    return rights.stream().map(JsonObject.class::cast).filter(g -> g.getString("right_code").equals("birthday"))
        .findFirst().orElseThrow(() -> new AssertionError(rights.encode()));
  }

  private static void redeem(long contact) {
    Reply r = api.post("/api/v1/contacts/" + contact + "/rights/" + birthdayGrant(contact).getLong("id") + "/redeem",
        new JsonObject());
    assertEquals(200, r.status(), r.toString());
  }

  @Test
  void redeemingTheBirthdayRightIsTheGoal() {
    LocalDate today = LocalDate.now(SHANGHAI);
    long contact = birthdayMember(today);
    await("the birthday message", () -> touch(contact, "birthday", "sent"));
    JsonObject entry = entry(contact, "birthday");
    assertEquals(Integer.toString(today.getYear()), entry.getString("entry_key"));
    assertEquals("granted", birthdayGrant(contact).getString("state"));

    redeem(contact);
    JsonObject done = await("the goal", () -> {
      JsonObject e = entry(contact, "birthday");
      return e.getString("ended_at") != null ? e : null;
    });
    assertEquals("birthday_redeemed", done.getString("goal"));
    assertNull(touch(contact, "birthday_reminder", null), "no reminder once redeemed");
  }

  @Test
  void aMemberWhoHasNotRedeemedIsRemindedInsideTheWindowThenStillConverts() {
    LocalDate today = LocalDate.now(SHANGHAI);
    long contact = birthdayMember(today);
    await("the birthday message", () -> touch(contact, "birthday", "sent"));

    // redeeming another right does not count: the wait is for 生日权益 only
    Reply other = api.post("/api/v1/contacts/" + contact + "/rights", new JsonObject().put("right", "new_member_pack")
        .put("grant_key", "bday-other-" + contact));
    assertEquals(201, other.status(), other.toString());
    api.post("/api/v1/contacts/" + contact + "/rights/" + other.json().getLong("id") + "/redeem", new JsonObject());

    moveClockTo(today.plusDays(3), LocalTime.of(22, 0)); // three days on, after the window closed
    await("the wait for the send window", () ->
        entry(contact, "birthday").getJsonArray("current_steps").contains("reminderWindow") ? new JsonObject() : null);
    assertNull(touch(contact, "birthday_reminder", null));
    moveClockTo(today.plusDays(4), LocalTime.of(9, 5));
    await("the reminder", () -> touch(contact, "birthday_reminder", "sent"));

    redeem(contact);
    JsonObject done = await("the goal", () -> {
      JsonObject e = entry(contact, "birthday");
      return e.getString("ended_at") != null ? e : null;
    });
    assertEquals("birthday_redeemed", done.getString("goal"));
  }
}
