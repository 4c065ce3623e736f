package io.siyu.channel.sms;

import io.siyu.env.Env;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The SMS gateway channel's settings, the {@code SIYU_SMS_*} block of docs/CONFIGURATION.md.
 *
 * @param secret the HMAC key of requests to the gateway and of its callbacks to Siyu
 * @param signName the default SMS signature (短信签名); null when messages bring their own or the gateway adds it
 * @param receiptMaxAgeSeconds callbacks whose timestamp is further than this from now are refused
 */
public record SmsSettings(String url, String secret, String signName, int ratePerSecond, int timeoutMs,
    int receiptMaxAgeSeconds) {

  /** Long enough that guessing the HMAC key is not the easy way in. */
  static final int MIN_SECRET_LENGTH = 16;
  public static final int DEFAULT_RATE_PER_SECOND = 20;
  public static final int DEFAULT_TIMEOUT_MS = 5000;
  public static final int DEFAULT_RECEIPT_MAX_AGE_SECONDS = 300;

  /** Empty when {@code SIYU_SMS_URL} is unset: the channel is not configured. */
  public static Optional<SmsSettings> fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    if (env.optional("SIYU_SMS_URL").isEmpty()) {
      env.optional("SIYU_SMS_SECRET").ifPresent(v -> {
        throw new IllegalArgumentException("SIYU_SMS_URL must be set when SIYU_SMS_SECRET is");
      });
      return Optional.empty();
    }
    String secret = env.required("SIYU_SMS_SECRET", "when SIYU_SMS_URL is: requests and receipts are signed with it");
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("SIYU_SMS_SECRET must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    return Optional.of(new SmsSettings(
        env.httpUrl("SIYU_SMS_URL", null),
        secret,
        env.optional("SIYU_SMS_SIGN_NAME").orElse(null),
        env.integer("SIYU_SMS_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND, 1, 10_000),
        env.integer("SIYU_SMS_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 1, 600_000),
        env.integer("SIYU_SMS_RECEIPT_MAX_AGE_SECONDS", DEFAULT_RECEIPT_MAX_AGE_SECONDS, 1, 86_400)));
  }

  byte[] secretBytes() {
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
