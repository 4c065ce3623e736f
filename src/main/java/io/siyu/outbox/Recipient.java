package io.siyu.outbox;

import io.vertx.core.json.JsonObject;

/**
 * What a send needs to know about its contact, read with the touch when it is claimed: where the
 * contact can be reached on each channel, what they agreed to, and their time zone.
 */
public record Recipient(String mobile, String email, String externalUserid, String ownerStaffId, String timezone,
    JsonObject consent) {

  /** The contact's address on {@code channel}; null when they have none there or the channel needs none. */
  public String address(String channel) {
    return switch (channel) {
      case "sms" -> mobile;
      case "email" -> email;
      case "wecom" -> externalUserid;
      default -> null;
    };
  }

  /** Whether the contact has an address on {@code channel} (webhook and log send to the brand's own systems: always). */
  public boolean reachable(String channel) {
    return switch (channel) {
      case "sms", "email", "wecom" -> address(channel) != null && !address(channel).isBlank();
      default -> true;
    };
  }

  /** true or false when the contact said so for {@code channel}, null when they never did. */
  public Boolean consent(String channel) {
    return consent == null ? null : consent.getBoolean(channel);
  }
}
