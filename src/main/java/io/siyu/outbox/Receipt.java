package io.siyu.outbox;

import java.time.Instant;
import java.util.Set;

/**
 * A provider's word on a touch after it was sent: {@code delivered}, {@code read}, or
 * {@code failed} (it will not arrive), naming the touch by its key. {@code at} when the provider
 * says it happened (null: when the receipt came).
 */
public record Receipt(String touchKey, String status, Instant at, String detail) {
  public static final Set<String> STATUSES = Set.of("delivered", "read", "failed");

  public Receipt {
    if (touchKey == null || touchKey.isBlank() || touchKey.length() > 500) {
      throw new IllegalArgumentException("touch_key is required, at most 500 characters");
    }
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be delivered, read or failed, not " + status);
    }
  }
}
