package io.siyu.outbox;

import java.net.URI;

/**
 * The outbox's settings (docs/CONFIGURATION.md, {@code SIYU_OUTBOX_*}, {@code SIYU_WEBHOOK_*}
 * and the sending policy's). {@code publicUrl}: where members reach this Siyu (tracked links). {@code webhookUrl} null: the webhook channel is not configured.
 */
public record OutboxSettings(long pollMs, long retryBaseMs, long retryMaxMs, int maxAttempts, long leaseMs,
    int concurrency, String webhookUrl, String webhookSecret, long webhookTimeoutMs, int webhookRatePerSecond,
    SendingPolicy.Settings policy, SendLimits.Cap cap, String publicUrl) {

  public OutboxSettings {
    atLeast(pollMs, 1, "SIYU_OUTBOX_POLL_MS");
    atLeast(retryBaseMs, 1, "SIYU_OUTBOX_RETRY_BASE_MS");
    atLeast(retryMaxMs, retryBaseMs, "SIYU_OUTBOX_RETRY_MAX_MS");
    atLeast(maxAttempts, 1, "SIYU_OUTBOX_MAX_ATTEMPTS");
    atLeast(leaseMs, 1000, "SIYU_OUTBOX_LEASE_MS");
    atLeast(concurrency, 1, "SIYU_OUTBOX_CONCURRENCY");
    atLeast(webhookTimeoutMs, 1, "SIYU_WEBHOOK_TIMEOUT_MS");
    atLeast(webhookRatePerSecond, 0, "SIYU_WEBHOOK_RATE_PER_SECOND");
    if (!isHttpUrl(publicUrl)) {
      throw new IllegalArgumentException("SIYU_PUBLIC_URL must be an http:// or https:// URL");
    }
    // links are built as publicUrl + "/l/..." and "/webhooks/...": one form, without the trailing slash
    publicUrl = publicUrl.replaceAll("/+$", "");
    if (webhookUrl != null && !isHttpUrl(webhookUrl)) {
      throw new IllegalArgumentException("SIYU_WEBHOOK_URL must be an http:// or https:// URL");
    }
  }

  /**
   * How long to wait before the next attempt once {@code attempts} sends have failed: the base,
   * doubling with each failure, never more than the cap.
   */
  public long backoffMs(int attempts) {
    long delay = retryBaseMs;
    for (int i = 1; i < attempts && delay < retryMaxMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, retryMaxMs);
  }

  /** How often the dispatcher's housekeeping runs. */
  long tidyMs() {
    return Math.max(pollMs, 30_000);
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static void atLeast(long value, long min, String key) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
    }
  }
}
