package io.siyu.channel.sms;

import java.text.Normalizer;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** A text a member sent back to the brand's number. */
public record SmsReply(String mobile, String text, Instant at) {
  /** The replies Chinese carriers and members use to opt out of marketing texts. */
  private static final Set<String> UNSUBSCRIBE = Set.of("TD", "退订");

  /**
   * The whole reply is an opt-out keyword: "TD" or "退订", in any case, with spaces around it or
   * typed full-width ("ＴＤ"). A reply that only mentions it ("TD 是什么") is not.
   */
  public boolean isUnsubscribe() {
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).strip().toUpperCase(Locale.ROOT);
    return UNSUBSCRIBE.contains(normalized);
  }
}
