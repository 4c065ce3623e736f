package io.siyu.channel.sms;

import java.time.Instant;

/**
 * What the gateway says became of one text: {@code requestId} is the touch key it was sent with.
 *
 * @param error the gateway's or carrier's reason when FAILED, else null
 */
public record SmsReceipt(String requestId, Status status, String error, Instant at) {
  public enum Status { DELIVERED, FAILED }
}
