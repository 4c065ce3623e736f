package io.siyu.journey;

import static io.siyu.support.Eventually.await;
import static io.siyu.journey.WelcomeJourneyTest.entry;
import static io.siyu.journey.WelcomeJourneyTest.moveClockTo;
import static io.siyu.journey.WelcomeJourneyTest.touch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped dormant-reactivation journey end to end on the engine's clock: the nightly
 * recompute's {@code lifecycle.changed} to dormant enters the member; a high-value RFM class gets
 * 200 points and the stronger offer, everyone else the standard one, both at 09:00; a purchase
 * within 14 days is the goal and tags 已唤醒, silence tags 流失预警.
 */
class DormantJourneyTest {
  private static final Api api = TestSiyu.admin();
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  /** A member of {@code rfmClass} (null: none) who turns dormant in tonight's recompute, at 03:00. */
  private static long turnsDormant(String rfmClass, LocalDate day) throws Exception {
    long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "dormant-" + UUID.randomUUID())
        .put("timezone", "Asia/Shanghai")).json().getLong("id");
    moveClockTo(day, LocalTime.of(3, 0));
    // what the recompute writes when it moves a member to dormant: the stage, the class, the event
    try (Connection c = TestSiyu.get().database().jdbc().getConnection()) {
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE contacts SET lifecycle_stage = 'dormant', rfm_class = ? WHERE id = ?")) {
        st.setString(1, rfmClass);
        st.setLong(2, contact);
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO events (event_key, contact_id, type, occurred_at, "
          + "properties, source) VALUES (?, ?, 'lifecycle.changed', now(), '{\"from\":\"mature\",\"to\":\"dormant\"}', 'siyu')")) {
        st.setString(1, "lifecycle.changed:" + contact + ":test");
        st.setLong(2, contact);
        st.executeUpdate();
      }
    }
    return contact;
  }

  private static boolean tagged(long contact, String tag) {
    return api.get("/api/v1/contacts/" + contact + "/tags").body().contains(tag);
  }

  @Test
  void highValueMembersGetTheStrongerOfferAndABuyerIsReactivated() throws Exception {
    LocalDate today = LocalDate.now(SHANGHAI);
    long vip = turnsDormant("重要价值", today);
    await("the wait for the send window", () -> {
      JsonObject e = entry(vip, "dormant");
      return e != null && e.getJsonArray("current_steps").contains("vipWindow") ? e : null;
    });
    JsonObject points = api.get("/api/v1/contacts/" + vip + "/points").json();
    assertEquals(200, points.getInteger("balance"), points.encode());
    assertNull(touch(vip, "reactivation_vip", null), "nothing is sent at 03:00");

    moveClockTo(today, LocalTime.of(9, 1));
    await("the stronger offer", () -> touch(vip, "reactivation_vip", "sent"));
    assertNull(touch(vip, "reactivation", null));

    Reply buy = api.post("/api/v1/events", new JsonObject().put("id", "winback-" + vip).put("type", "purchase")
        .put("contact_id", vip).put("amount", 120));
    assertEquals(201, buy.status(), buy.toString());
    JsonObject done = await("the goal", () -> {
      JsonObject e = entry(vip, "dormant");
      return e.getString("ended_at") != null ? e : null;
    });
    assertEquals("reactivated", done.getString("goal"));
    assertTrue(tagged(vip, "已唤醒"));
    assertTrue(!tagged(vip, "流失预警"));
  }

  @Test
  void othersGetTheStandardOfferAndSilenceIsAChurnRisk() throws Exception {
    LocalDate today = LocalDate.now(SHANGHAI);
    long member = turnsDormant(null, today);
    await("the wait for the send window", () -> {
      JsonObject e = entry(member, "dormant");
      return e != null && e.getJsonArray("current_steps").contains("standardWindow") ? e : null;
    });
    moveClockTo(today, LocalTime.of(9, 1));
    await("the standard offer", () -> touch(member, "reactivation", "sent"));
    assertEquals(0, api.get("/api/v1/contacts/" + member + "/points").json().getInteger("balance"));

    moveClockTo(today.plusDays(15), LocalTime.of(9, 0));
    JsonObject done = await("the end of the wait", () -> {
      JsonObject e = entry(member, "dormant");
      return e.getString("ended_at") != null ? e : null;
    });
    assertNull(done.getString("goal"));
    assertTrue(tagged(member, "流失预警"));
    assertTrue(!tagged(member, "已唤醒"));
  }
}
