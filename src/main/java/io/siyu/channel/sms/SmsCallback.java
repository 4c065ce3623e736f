package io.siyu.channel.sms;

import java.util.List;

/** One authenticated callback from the gateway: delivery receipts, member replies, or both. */
public record SmsCallback(List<SmsReceipt> receipts, List<SmsReply> replies) {
  public SmsCallback {
    receipts = List.copyOf(receipts);
    replies = List.copyOf(replies);
  }
}
