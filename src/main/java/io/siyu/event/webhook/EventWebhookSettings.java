package io.siyu.event.webhook;

import io.siyu.env.Env;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The settings of {@code /webhooks/events}, the {@code SIYU_INBOUND_*} rows of the configuration.
 * Whose secret is unset, the webhook stays mounted and answers that it is not configured.
 *
 * @param secret key of the {@code X-Siyu-Signature}; null: not configured
 * @param previousSecret the key being rotated out, also accepted until it is unset; null: none
 * @param maxAgeSeconds signed calls further than this from now are refused (replay window)
 */
public record EventWebhookSettings(String secret, String previousSecret, int maxAgeSeconds) {
  /** Long enough that guessing the HMAC key is not the easy way in (as for the SMS gateway's). */
  static final int MIN_SECRET_LENGTH = 16;
  public static final int DEFAULT_MAX_AGE_SECONDS = 300;

  public static EventWebhookSettings fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    String secret = env.optional("SIYU_INBOUND_SECRET").orElse(null);
    String previous = env.optional("SIYU_INBOUND_PREVIOUS_SECRET").orElse(null);
    if (previous != null && secret == null) {
      throw new IllegalArgumentException("SIYU_INBOUND_PREVIOUS_SECRET is only accepted beside SIYU_INBOUND_SECRET");
    }
    for (String key : List.of("SIYU_INBOUND_SECRET", "SIYU_INBOUND_PREVIOUS_SECRET")) {
      if (env.optional(key).map(s -> s.length() < MIN_SECRET_LENGTH).orElse(false)) {
        throw new IllegalArgumentException(key + " must be at least " + MIN_SECRET_LENGTH + " characters");
      }
    }
    return new EventWebhookSettings(secret, previous,
        env.integer("SIYU_INBOUND_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS, 1, 86_400));
  }

  /** The keys a signed event call may use: the current one first. */
  List<byte[]> secrets() {
    return Stream.of(secret, previousSecret).filter(java.util.Objects::nonNull)
        .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public String toString() {
    // secrets stay out of logs and error messages
    return "EventWebhookSettings[secret=" + (secret == null ? "unset" : "set") + ", previousSecret="
        + (previousSecret == null ? "unset" : "set") + ", maxAgeSeconds=" + maxAgeSeconds + "]";
  }
}
