package io.siyu.outbox;

import java.time.Instant;
import java.util.List;

/**
 * What a provider's call to {@code POST /webhooks/receipts/<channel>} carries: receipts for sent
 * touches, and opt-outs (a member who answered "TD" / "退订" to an SMS): the contact with that
 * address on that channel no longer consents to it.
 */
public record ProviderCallback(List<Receipt> receipts, List<OptOut> optOuts) {
  /** {@code address} on the callback's channel (a mobile for SMS) asked to hear no more, at {@code at}. */
  public record OptOut(String address, Instant at, String text) {}

  public static ProviderCallback ofReceipts(List<Receipt> receipts) {
    return new ProviderCallback(receipts, List.of());
  }
}
