package io.siyu.channel.email;

import io.siyu.env.Env;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The email channel's settings, the {@code SIYU_SMTP_*} block of docs/CONFIGURATION.md.
 *
 * @param user null to send without logging in (then so is {@code password})
 * @param starttls OPTIONAL (the default) upgrades when the server offers it; REQUIRED refuses a
 *     server that does not, which is what a relay reached over the internet with a password wants
 * @param from {@code "noreply@example.com"} or {@code "私域会员 <noreply@example.com>"}
 */
public record SmtpSettings(String host, int port, String user, String password, StartTLSOptions starttls,
    String from, int ratePerSecond, int timeoutMs) {

  public static final int DEFAULT_PORT = 587;
  public static final int DEFAULT_RATE_PER_SECOND = 10;
  public static final int DEFAULT_TIMEOUT_MS = 10_000;
  /** The address in a From value, bare or in angle brackets after a display name. */
  private static final Pattern ADDRESS = Pattern.compile("^(?:[^<>]*<)?([^<>@\\s]+@([^<>@\\s]+\\.[^<>@\\s]+))>?$");

  /** Empty when {@code SIYU_SMTP_HOST} is unset: the channel is not configured. */
  public static Optional<SmtpSettings> fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    if (env.optional("SIYU_SMTP_HOST").isEmpty()) {
      return Optional.empty();
    }
    env.together("SIYU_SMTP_USER", "SIYU_SMTP_PASSWORD");
    String from = env.required("SIYU_SMTP_FROM", "when SIYU_SMTP_HOST is");
    if (!ADDRESS.matcher(from).matches()) {
      throw new IllegalArgumentException("SIYU_SMTP_FROM must be an address, alone or as \"Name <address>\", got '"
          + from + "'");
    }
    return Optional.of(new SmtpSettings(
        env.optional("SIYU_SMTP_HOST").orElseThrow(),
        env.integer("SIYU_SMTP_PORT", DEFAULT_PORT, 1, 65_535),
        env.optional("SIYU_SMTP_USER").orElse(null),
        env.optional("SIYU_SMTP_PASSWORD").orElse(null),
        env.oneOf("SIYU_SMTP_STARTTLS", StartTLSOptions.class, StartTLSOptions.OPTIONAL),
        from,
        env.integer("SIYU_SMTP_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND, 1, 10_000),
        env.integer("SIYU_SMTP_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 1, 600_000)));
  }

  /** The domain of the From address: Message-IDs are made under it. */
  String fromDomain() {
    Matcher m = ADDRESS.matcher(from);
    if (!m.matches()) {
      throw new IllegalStateException("checked in fromEnv: " + from);
    }
    return m.group(2);
  }
}
