package io.siyu.wecom.api;

import io.siyu.env.Env;
import java.util.Map;
import java.util.Optional;

/**
 * The WeCom (企业微信) channel's settings, the {@code SIYU_WECOM_*} block of docs/CONFIGURATION.md.
 *
 * <p>WeCom gives every app its own secret and its own access token: {@code contactSecret} is the
 * customer-contact (客户联系) secret that the externalcontact APIs need, {@code agentId} and
 * {@code agentSecret} are the self-built app that sends staff notifications. Either side may be
 * left out; a send that needs the missing side fails at once as not configured.
 *
 * @param contactSecret null when customer and welcome messages are not configured
 * @param agentId null when staff notifications are not configured (then so is {@code agentSecret})
 * @param ratePerSecond the most requests a second the dispatcher should send through this channel
 */
public record WecomSettings(String apiBase, String corpId, String contactSecret, Integer agentId, String agentSecret,
    int ratePerSecond, int timeoutMs) {

  public static final String DEFAULT_API_BASE = "https://qyapi.weixin.qq.com";
  /**
   * WeCom allows each corp 10,000 calls a minute per API (about 166 a second), shared by every app
   * of the corp; 50 leaves room for Siyu's other WeCom calls and for the corp's other apps.
   */
  public static final int DEFAULT_RATE_PER_SECOND = 50;
  public static final int DEFAULT_TIMEOUT_MS = 5000;

  /**
   * Empty when {@code SIYU_WECOM_CORP_ID} is unset, or when only WeCom's callbacks are configured
   * (the corp id with {@code SIYU_WECOM_TOKEN}, no API secret): the channel is not configured.
   */
  public static Optional<WecomSettings> fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    if (env.optional("SIYU_WECOM_CORP_ID").isEmpty()) {
      for (String key : new String[] {"SIYU_WECOM_SECRET", "SIYU_WECOM_AGENT_ID", "SIYU_WECOM_AGENT_SECRET"}) {
        env.optional(key).ifPresent(v -> {
          throw new IllegalArgumentException("SIYU_WECOM_CORP_ID must be set when " + key + " is");
        });
      }
      return Optional.empty();
    }
    env.together("SIYU_WECOM_AGENT_ID", "SIYU_WECOM_AGENT_SECRET");
    String contactSecret = env.optional("SIYU_WECOM_SECRET").orElse(null);
    Integer agentId = env.optional("SIYU_WECOM_AGENT_ID").isPresent()
        ? env.integer("SIYU_WECOM_AGENT_ID", 0, 1, Integer.MAX_VALUE) : null;
    if (contactSecret == null && agentId == null) {
      if (env.optional("SIYU_WECOM_TOKEN").isPresent()) {
        return Optional.empty(); // callbacks only: Siyu listens to WeCom but does not call it
      }
      throw new IllegalArgumentException("SIYU_WECOM_SECRET or SIYU_WECOM_AGENT_ID with SIYU_WECOM_AGENT_SECRET "
          + "must be set when SIYU_WECOM_CORP_ID is");
    }
    return Optional.of(new WecomSettings(
        env.httpUrl("SIYU_WECOM_API_BASE", DEFAULT_API_BASE),
        env.optional("SIYU_WECOM_CORP_ID").orElseThrow(),
        contactSecret,
        agentId,
        env.optional("SIYU_WECOM_AGENT_SECRET").orElse(null),
        env.integer("SIYU_WECOM_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND, 1, 10_000),
        env.integer("SIYU_WECOM_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 1, 600_000)));
  }

  boolean customerContactConfigured() {
    return contactSecret != null;
  }

  boolean agentConfigured() {
    return agentId != null;
  }
}
