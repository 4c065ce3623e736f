package io.siyu.wecom.contact;

import io.siyu.contact.Identities;
import io.siyu.wecom.callback.WecomCallback;
import java.time.Instant;
import java.util.List;

/**
 * One {@code change_external_contact} callback, read: which customer ({@code ExternalUserID}) and
 * which staff member ({@code UserID}) it is about, and the fields of its {@code ChangeType}
 * (WeCom's 客户联系 → 变更回调).
 *
 * @param state the 「联系我」 state the customer came through (add and half add), or null
 * @param welcomeCode the code for one welcome message, valid for seconds (add and half add), or null
 * @param source who deleted, for {@code del_external_contact} ({@code DELETE_BY_TRANSFER}), or null
 * @param failReason why a hand-over failed ({@code customer_refused}, {@code customer_limit_exceed}), or null
 * @param occurredAt WeCom's {@code CreateTime} (never later than when Siyu received the callback)
 * @param receivedAt when Siyu received the callback: a welcome code's validity counts from here
 */
record ContactChange(long callbackId, String changeType, String staff, String externalUserId, String state,
    String welcomeCode, String source, String failReason, Instant occurredAt, Instant receivedAt) {

  static final String EVENT = "change_external_contact";
  static final String ADD = "add_external_contact";
  static final String HALF_ADD = "add_half_external_contact";
  static final String EDIT = "edit_external_contact";
  static final String DELETE_BY_STAFF = "del_external_contact";
  static final String DELETE_BY_CUSTOMER = "del_follow_user";
  static final String TRANSFER_FAIL = "transfer_fail";
  static final List<String> TYPES = List.of(ADD, HALF_ADD, EDIT, DELETE_BY_STAFF, DELETE_BY_CUSTOMER, TRANSFER_FAIL);

  /**
   * The change a callback reports, or null when its {@code ChangeType} is not one Siyu knows (WeCom
   * adds types now and then; they are acknowledged and left alone).
   *
   * @throws IllegalArgumentException when a known type lacks the customer or the staff member, or
   *     names a customer no contact can have (see {@link Identities#opaque})
   */
  static ContactChange of(WecomCallback callback) {
    if (!TYPES.contains(callback.changeType())) {
      return null;
    }
    String staff = blankToNull(callback.field("UserID"));
    String customer = blankToNull(callback.field("ExternalUserID"));
    if (staff == null || customer == null) {
      throw new IllegalArgumentException("callback " + callback.id() + " (" + callback.changeType()
          + ") names no " + (staff == null ? "UserID" : "ExternalUserID"));
    }
    try {
      customer = Identities.opaque(customer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("callback " + callback.id() + ": ExternalUserID " + e.getMessage(), e);
    }
    return new ContactChange(callback.id(), callback.changeType(), staff, customer,
        blankToNull(callback.field("State")), blankToNull(callback.field("WelcomeCode")),
        blankToNull(callback.field("Source")), blankToNull(callback.field("FailReason")),
        occurredAt(callback.field("CreateTime"), callback.receivedAt()), callback.receivedAt());
  }

  boolean isAdd() {
    return changeType.equals(ADD) || changeType.equals(HALF_ADD);
  }

  /** Adds and edits are when the customer's WeCom profile is worth reading again. */
  boolean wantsProfile() {
    return isAdd() || changeType.equals(EDIT);
  }

  /** The member event's id: one per callback, so a callback handled again stores no second event. */
  String eventId() {
    return "wecom:" + callbackId;
  }

  private static Instant occurredAt(String createTime, Instant receivedAt) {
    try {
      Instant at = Instant.ofEpochSecond(Long.parseLong(createTime.trim()));
      return at.isAfter(receivedAt) ? receivedAt : at; // WeCom's clock ahead of ours: the event did not happen later
    } catch (RuntimeException e) {
      return receivedAt;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
