package io.siyu.inbound;

import io.siyu.channel.ChannelEnv;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The inbound webhooks' settings, the {@code SIYU_INBOUND_*} and {@code SIYU_WECHAT_OA_*} rows of
 * the README. A webhook whose secret is unset stays mounted and answers that it is not configured.
 *
 * @param secret key of the {@code X-Siyu-Signature} on {@code /webhooks/events}; null: not configured
 * @param previousSecret the key being rotated out, also accepted until it is unset; null: none
 * @param maxAgeSeconds signed event calls further than this from now are refused (replay window)
 * @param wechatOaToken the Official Account's server-configuration Token (令牌); null: not configured
 * @param wechatOaMaxAgeSeconds the same replay window for the Official Account's calls
 */
public record InboundSettings(String secret, String previousSecret, int maxAgeSeconds, String wechatOaToken,
    int wechatOaMaxAgeSeconds) {

  /** Long enough that guessing the HMAC key is not the easy way in (as for the SMS gateway's). */
  static final int MIN_SECRET_LENGTH = 16;
  static final int DEFAULT_MAX_AGE_SECONDS = 300;
  /** What the Official Account platform itself accepts as a Token: 3 to 32 letters or digits. */
  private static final Pattern OA_TOKEN = Pattern.compile("^[A-Za-z0-9]{3,32}$");

  public static InboundSettings fromEnv(Map<String, String> environment) {
    ChannelEnv env = new ChannelEnv(environment);
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
    String token = env.optional("SIYU_WECHAT_OA_TOKEN").orElse(null);
    if (token != null && !OA_TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("SIYU_WECHAT_OA_TOKEN must be 3 to 32 letters or digits, as the "
          + "Official Account platform requires");
    }
    return new InboundSettings(secret, previous,
        env.integer("SIYU_INBOUND_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS, 1, 86_400), token,
        env.integer("SIYU_WECHAT_OA_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS, 1, 86_400));
  }

  /** The keys a signed event call may use: the current one first. */
  List<byte[]> secrets() {
    return Stream.of(secret, previousSecret).filter(java.util.Objects::nonNull)
        .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public String toString() {
    // secrets stay out of logs and error messages
    return "InboundSettings[secret=" + (secret == null ? "unset" : "set") + ", previousSecret="
        + (previousSecret == null ? "unset" : "set") + ", maxAgeSeconds=" + maxAgeSeconds + ", wechatOaToken="
        + (wechatOaToken == null ? "unset" : "set") + ", wechatOaMaxAgeSeconds=" + wechatOaMaxAgeSeconds + "]";
  }
}
