package io.siyu.loyalty.referral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invite codes link a new member to the referrer once, and pay the referrer once per referee. */
class ReferralTest {
  private static final Api api = TestSiyu.admin();

  private static long member() {
    return api.post("/api/v1/contacts", new JsonObject().put("openid", "ref-" + UUID.randomUUID())).json().getLong("id");
  }

  private static String code(long contact) {
    Reply r = api.post("/api/v1/contacts/" + contact + "/invite-code", new JsonObject());
    assertEquals(200, r.status(), r.toString());
    return r.json().getString("invite_code");
  }

  private static Reply register(String eventId, String openid, String code) {
    return api.post("/api/v1/events", new JsonObject().put("id", eventId).put("type", "member.registered")
        .put("contact", new JsonObject().put("openid", openid))
        .put("properties", new JsonObject().put("invite_code", code)));
  }

  private static int points(long contact) {
    return api.get("/api/v1/contacts/" + contact + "/points").json().getInteger("balance");
  }

  @Test
  void aRegistrationWithACodeLinksAndRewardsOnce() {
    long referrer = member();
    String code = code(referrer);
    assertEquals(code, code(referrer), "the code is made once");
    String openid = "new-" + UUID.randomUUID();
    String regId = "reg-" + openid;
    Reply reg = register(regId, openid, code);
    assertEquals(201, reg.status(), reg.toString());
    long referee = reg.json().getLong("contact_id");
    assertEquals(referrer, api.get("/api/v1/contacts/" + referee).json().getLong("referred_by"));
    assertEquals(100, points(referrer));
    assertEquals(100, api.get("/api/v1/contacts/" + referrer).json().getInteger("growth_value"),
        "referral.registered earns growth by its rule");

    assertEquals(200, register(regId, openid, code).status());
    String other = code(member());
    assertEquals(201, register("reg2-" + openid, openid, other).status());
    assertEquals(referrer, api.get("/api/v1/contacts/" + referee).json().getLong("referred_by"), "linked once");
    assertEquals(100, points(referrer), "paid once");
    assertEquals(1, api.post("/api/v1/contacts/" + referrer + "/invite-code", new JsonObject()).json().getInteger("referees"));
  }

  @Test
  void theFirstPurchasePaysTheReferrerAShareOnce() {
    long referrer = member();
    String openid = "buyer-" + UUID.randomUUID();
    long referee = register("reg-" + openid, openid, code(referrer)).json().getLong("contact_id");
    for (int i = 0; i < 2; i++) {
      api.post("/api/v1/events", new JsonObject().put("id", "order-" + i + "-" + openid).put("type", "purchase")
          .put("contact_id", referee).put("amount", new BigDecimal("200")));
    }
    assertEquals(400, points(referee));
    assertEquals(100 + 60, points(referrer), "100 for the registration, 30% of the first order's 200 points");
  }

  @Test
  void nobodyRefersThemselves() {
    long self = member();
    String code = code(self);
    String openid = api.get("/api/v1/contacts/" + self).json().getString("openid");
    assertEquals(201, register("again-" + openid, openid, code).status());
    assertNull(api.get("/api/v1/contacts/" + self).json().getValue("referred_by"));
    assertEquals(0, points(self));
  }
}
