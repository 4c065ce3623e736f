package io.siyu.wechatoa;

import io.siyu.env.Env;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The WeChat Official Account webhook's settings, the {@code SIYU_WECHAT_OA_*} rows of the
 * configuration. Whose token is unset, the webhook stays mounted and answers that it is not
 * configured.
 *
 * @param token the Official Account's server-configuration Token (令牌); null: not configured
 * @param maxAgeSeconds calls further than this from now are refused (replay window)
 */
public record WechatOaSettings(String token, int maxAgeSeconds) {
  static final int DEFAULT_MAX_AGE_SECONDS = 300;
  /** What the Official Account platform itself accepts as a Token: 3 to 32 letters or digits. */
  private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9]{3,32}$");

  public static WechatOaSettings fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    String token = env.optional("SIYU_WECHAT_OA_TOKEN").orElse(null);
    if (token != null && !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("SIYU_WECHAT_OA_TOKEN must be 3 to 32 letters or digits, as the "
          + "Official Account platform requires");
    }
    return new WechatOaSettings(token, env.integer("SIYU_WECHAT_OA_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS, 1, 86_400));
  }

  @Override
  public String toString() {
    return "WechatOaSettings[token=" + (token == null ? "unset" : "set") + ", maxAgeSeconds=" + maxAgeSeconds + "]";
  }
}
