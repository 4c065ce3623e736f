package io.siyu.wecom.tag;

import io.siyu.env.Env;
import java.util.Map;

/**
 * How Siyu sends tag changes back to WeCom ({@code SIYU_WECOM_TAG_PUSH_*}): how often it looks for
 * changes to send, the first retry delay (doubled per attempt, at most 10 minutes) and how many
 * attempts a change gets before it is marked failed.
 */
public record TagPushSettings(int pollMs, int retryMs, int maxAttempts) {
  public static final long MAX_RETRY_MS = 600_000;
  /** A change being sent and not recorded within this time (the instance died) is sent again. */
  public static final long LEASE_MS = 120_000;

  public static TagPushSettings fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    return new TagPushSettings(
        env.integer("SIYU_WECOM_TAG_PUSH_POLL_MS", 1000, 10, 600_000),
        env.integer("SIYU_WECOM_TAG_PUSH_RETRY_MS", 5000, 10, 600_000),
        env.integer("SIYU_WECOM_TAG_PUSH_MAX_ATTEMPTS", 10, 1, 100));
  }
}
