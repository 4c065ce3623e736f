package io.siyu.wecom.callback;

import io.siyu.env.Env;
import java.time.Duration;
import java.util.Map;

/**
 * The callback inbox's settings (docs/CONFIGURATION.md). The crypto is null when the
 * callback is not configured: then {@code /webhooks/wecom} answers 404, and the processor still
 * works off what an earlier configuration stored.
 *
 * @param crypt from {@code SIYU_WECOM_TOKEN}, {@code SIYU_WECOM_AES_KEY} and the corp id
 *     {@code SIYU_WECOM_CORP_ID} (the WeCom channel's), or null when the first two are unset
 * @param window how far a callback's timestamp may be from now, either way
 * @param attempts how many times a callback is handed to its handler before it is parked
 * @param retryBaseMs the wait after the first failed attempt; it doubles with each further one
 * @param pollMs how often the processor looks for due callbacks when nothing woke it
 * @param retention how long a handled (done) callback is kept; parked and pending ones are kept
 *     until they are handled
 */
public record CallbackSettings(WecomCrypt crypt, Duration window, int attempts, long retryBaseMs, long pollMs,
    Duration retention) {
  /** The longest wait between two attempts. */
  static final long RETRY_MAX_MS = 3_600_000;

  public static CallbackSettings fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    env.together("SIYU_WECOM_TOKEN", "SIYU_WECOM_AES_KEY");
    WecomCrypt crypt = null;
    if (env.optional("SIYU_WECOM_TOKEN").isPresent()) {
      String corpId = env.required("SIYU_WECOM_CORP_ID", "when SIYU_WECOM_TOKEN is (callbacks are addressed to the corp)");
      try {
        crypt = new WecomCrypt(env.optional("SIYU_WECOM_TOKEN").orElseThrow(),
            env.optional("SIYU_WECOM_AES_KEY").orElseThrow(), corpId);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SIYU_WECOM_AES_KEY is not an EncodingAESKey: " + e.getMessage());
      }
    }
    return new CallbackSettings(crypt,
        Duration.ofSeconds(env.integer("SIYU_WECOM_CALLBACK_WINDOW_SECONDS", 300, 1, 86_400)),
        env.integer("SIYU_WECOM_CALLBACK_ATTEMPTS", 8, 1, 100),
        env.integer("SIYU_WECOM_CALLBACK_RETRY_MS", 30_000, 1, (int) RETRY_MAX_MS),
        env.integer("SIYU_WECOM_CALLBACK_POLL_MS", 1000, 1, 60_000),
        Duration.ofDays(env.integer("SIYU_WECOM_CALLBACK_RETENTION_DAYS", 30, 1, 3650)));
  }

  boolean configured() {
    return crypt != null;
  }

  /** The wait before the next attempt once {@code attempts} have failed: the base, doubling, at most an hour. */
  long backoffMs(int attempts) {
    long delay = retryBaseMs;
    for (int i = 1; i < attempts && delay < RETRY_MAX_MS; i++) {
      delay *= 2;
    }
    return Math.min(delay, RETRY_MAX_MS);
  }
}
