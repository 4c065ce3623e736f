package io.siyu.template;

import io.vertx.core.json.JsonObject;

/**
 * One channel's text of a template in one locale: the Liquid source of its body (HTML or plain
 * text) and, for email and the default variant, of its subject. Part of an immutable version.
 */
public record Variant(String channel, String locale, Format format, String subject, String body) {
  /** How the body is written: HTML is sanitised and turned into text, text is sent as it is. */
  public enum Format {
    HTML, TEXT;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format a variant of {@code channel} has when it does not say: HTML for email, text elsewhere. */
    static Format defaultFor(String channel) {
      return "email".equals(channel) ? HTML : TEXT;
    }
  }

  /** Whether a variant of this channel may carry a subject: the email variant and the default it falls back to. */
  static boolean takesSubject(String channel) {
    return "email".equals(channel) || ChannelRules.DEFAULT.equals(channel);
  }

  /** "email/zh-CN", how errors name a variant. */
  public String label() {
    return channel + "/" + locale;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("channel", channel).put("locale", locale).put("format", format.wire());
    if (subject != null) {
      json.put("subject", subject);
    }
    return json.put("body", body);
  }

  /** A variant as stored (already checked when it was written). */
  static Variant fromJson(JsonObject json) {
    return new Variant(json.getString("channel"), json.getString("locale"),
        Format.valueOf(json.getString("format").toUpperCase(java.util.Locale.ROOT)), json.getString("subject"),
        json.getString("body"));
  }
}
