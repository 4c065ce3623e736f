package io.siyu.loyalty.referral;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.vertx.ext.web.Router;

/** {@code POST /api/v1/contacts/{id}/invite-code}: the contact's code (made on the first call) and referee count. */
public final class ReferralRoutes {
  private ReferralRoutes() {}

  public static void mount(Router api, ReferralService referrals) {
    api.post("/contacts/:id/invite-code").handler(Access.WRITE).handler(ctx ->
        referrals.inviteCode(Bodies.id(ctx, "id", "Contact")).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
  }
}
