package io.siyu.loyalty.points;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Points an event earns expire counting from when the event happened, not from when Siyu heard of
 * it: an order sent in late (or imported) keeps the expiry it would have had. The shared server
 * runs with the default validity of 12 months.
 */
class EventPointsExpiryTest {
  private static final Api api = TestSiyu.admin();

  private static long contact() {
    return api.post("/api/v1/contacts", new JsonObject().put("openid", "exp-" + UUID.randomUUID())).json().getLong("id");
  }

  /** A moment {@code days} ago, whole seconds (as an event's time travels). */
  private static OffsetDateTime daysAgo(int days) {
    return OffsetDateTime.now(ZoneOffset.UTC).minusDays(days).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String event(long contact, String type, String amount, OffsetDateTime at) {
    String id = type + "-" + UUID.randomUUID();
    JsonObject e = new JsonObject().put("id", id).put("type", type).put("contact_id", contact).put("occurred_at", at.toString());
    if (amount != null) {
      e.put("amount", new BigDecimal(amount));
    }
    Reply r = api.post("/api/v1/events", e);
    assertEquals(201, r.status(), r.toString());
    return id;
  }

  private static JsonArray ledger(long contact) {
    return api.get("/api/v1/contacts/" + contact + "/points/ledger").items();
  }

  private static JsonObject lot(long contact, String key) {
    return ledger(contact).stream().map(o -> (JsonObject) o).filter(o -> key.equals(o.getString("key"))).findFirst()
        .orElseThrow(() -> new AssertionError("no ledger entry " + key + " in " + ledger(contact).encode()));
  }

  private static Instant expiresAt(JsonObject lot) {
    return OffsetDateTime.parse(lot.getString("expires_at")).toInstant();
  }

  @Test
  void aPurchaseSentInLateExpiresTwelveMonthsAfterItHappened() {
    long c = contact();
    OffsetDateTime at = daysAgo(100);
    String id = event(c, "purchase", "88.00", at);
    JsonObject lot = lot(c, "event:" + id);
    assertEquals(88, lot.getInteger("points"));
    assertEquals(at.plusMonths(12).toInstant(), expiresAt(lot));
  }

  @Test
  void aSignInSentInLateExpiresTwelveMonthsAfterItHappened() {
    long c = contact();
    OffsetDateTime at = daysAgo(40);
    String id = event(c, "sign_in", null, at);
    assertEquals(at.plusMonths(12).toInstant(), expiresAt(lot(c, "event:" + id)));
  }

  @Test
  void anEventOlderThanTheValidityEarnsNothing() {
    long c = contact();
    event(c, "purchase", "300.00", daysAgo(400));
    event(c, "sign_in", null, daysAgo(380));
    assertEquals(0, api.get("/api/v1/contacts/" + c + "/points").json().getInteger("balance"));
    assertEquals(0, ledger(c).size(), "its points would have expired already");
  }

  /** The referrer's rewards are earned by the referee's registration and first order. */
  @Test
  void theReferrersRewardsExpireWithTheEventsThatEarnedThem() {
    long referrer = contact();
    String code = api.post("/api/v1/contacts/" + referrer + "/invite-code", new JsonObject()).json().getString("invite_code");
    OffsetDateTime registered = daysAgo(200);
    Reply reg = api.post("/api/v1/events", new JsonObject().put("id", "reg-" + UUID.randomUUID())
        .put("type", "member.registered").put("contact", new JsonObject().put("openid", "exp-" + UUID.randomUUID()))
        .put("occurred_at", registered.toString()).put("properties", new JsonObject().put("invite_code", code)));
    assertEquals(201, reg.status(), reg.toString());
    long referee = reg.json().getLong("contact_id");
    assertEquals(registered.plusMonths(12).toInstant(), expiresAt(lot(referrer, "referral:registered:" + referee)));
    JsonObject referral = api.get("/api/v1/events?type=referral.registered&contact_id=" + referrer).items().getJsonObject(0);
    assertEquals(registered.toInstant(), OffsetDateTime.parse(referral.getString("occurred_at")).toInstant(),
        "the referrer's event happened when the referee registered");
    OffsetDateTime at = daysAgo(150);
    event(referee, "purchase", "100.00", at);
    JsonObject share = lot(referrer, "referral:first_order:" + referee);
    assertEquals(30, share.getInteger("points"));
    assertEquals(at.plusMonths(12).toInstant(), expiresAt(share));
  }
}
