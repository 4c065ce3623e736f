package io.siyu.event;

import java.util.List;

/**
 * The event types Siyu itself records or acts on, known before any event of the type has arrived:
 * the designer offers them as triggers and waits beside the types seen in the events so far.
 */
public final class EventTypes {
  /** Sorted. A brand's own systems post any other type they like. */
  public static final List<String> BUILT_IN = List.of(
      "consent.revoked", // an SMS reply TD, an unsubscribe link
      "growth.awarded",
      "lifecycle.changed", // the lifecycle stage moved (properties from, to)
      "member.registered",
      "points.expiring", // a lot within the notice window
      EventInput.PURCHASE, // moves aggregates, points, growth, RFM
      "referral.first_order", "referral.registered",
      "right.expired", "right.granted", "right.redeemed",
      "sign_in", // sign-in streak points
      "survey.completed", // survey points
      "tier.downgraded", "tier.upgraded",
      "touch.clicked", // a tracked link in a touch opened
      "wechat.subscribed", "wechat.unsubscribed", // the Official Account
      "wecom.contact_added", "wecom.contact_deleted", "wecom.contact_edited", "wecom.contact_half_added",
      "wecom.contact_lost", "wecom.group_joined", "wecom.group_left", "wecom.transfer_failed");

  private EventTypes() {}
}
