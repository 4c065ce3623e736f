package io.siyu.template;

import io.siyu.env.Env;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How large a rendered message may be on each channel, in the unit its provider counts, and how
 * long a render may take. Read from {@code SIYU_TEMPLATE_*}:
 * <ul>
 *   <li>SMS: 500 characters — a long SMS of about eight parts, the most Chinese gateways accept for a
 *       message (each part 67 characters);</li>
 *   <li>WeCom: 2,048 bytes of UTF-8 — what {@code message/send} takes for a staff notification (it
 *       cuts longer text); customer messages ({@code add_msg_template}, {@code send_welcome_msg})
 *       take 4,000, so a corp that sends only those may raise it;</li>
 *   <li>every other channel (email's HTML and text, webhook, log): 100 KiB — Gmail clips a message
 *       whose HTML is larger, and no touch needs more;</li>
 *   <li>a render: 2 seconds of CPU time, counting Liquid, sanitising and the text derived from HTML
 *       (a message takes milliseconds; the first render after a start loads the libraries).</li>
 * </ul>
 * While Liquid runs, no text it builds (the output, a {@code capture}, a filter's result) may grow
 * past {@value RenderBudget#RENDER_FACTOR} times the channel's limit: a template that keeps doubling a string is
 * stopped there, not after it has filled the memory.
 */
public record MessageLimits(int smsChars, int wecomBytes, int messageBytes, long renderMillis) {
  public static final MessageLimits DEFAULTS = new MessageLimits(500, 2048, 102_400, 2000);
  /** How much larger than the finished message the texts a render builds on the way may be. */

  /** One channel's limit on a message: at most {@code max} characters or bytes. */
  record Limit(int max, boolean bytes) {
    /** The size of {@code text} in this limit's unit. */
    int measure(String text) {
      return bytes ? text.getBytes(StandardCharsets.UTF_8).length : text.codePointCount(0, text.length());
    }

    /** The most characters any text may have while a render builds it. */
    int renderChars() {
      return max * RenderBudget.RENDER_FACTOR;
    }

    String unit() {
      return bytes ? "bytes" : "characters";
    }

    /** Fails the render when {@code text} is over this limit. */
    void check(String what, String text) {
      int size = measure(text);
      if (size > max) {
        throw RenderException.tooLarge(what + " is " + size + " " + unit() + ", over the limit of " + max);
      }
    }
  }

  public static MessageLimits fromEnv(Map<String, String> env) {
    Env e = new Env(env);
    return new MessageLimits(
        e.integer("SIYU_TEMPLATE_SMS_MAX_CHARS", DEFAULTS.smsChars, 1, 10_000),
        e.integer("SIYU_TEMPLATE_WECOM_MAX_BYTES", DEFAULTS.wecomBytes, 1, 100_000),
        e.integer("SIYU_TEMPLATE_MAX_BYTES", DEFAULTS.messageBytes, 1, 10_000_000),
        e.integer("SIYU_TEMPLATE_RENDER_TIMEOUT_MS", (int) DEFAULTS.renderMillis, 1, 60_000));
  }

  /** The limit of {@code channel}; a {@code default} variant, usable on any channel, has the largest. */
  Limit of(String channel) {
    return switch (channel) {
      case "sms" -> new Limit(smsChars, false);
      case "wecom" -> new Limit(wecomBytes, true);
      default -> new Limit(messageBytes, true);
    };
  }

  /** A fresh budget for one render on {@code channel}: its clock starts now. */
  RenderBudget budget(String channel) {
    return new RenderBudget(of(channel).renderChars(), renderMillis);
  }
}
