package io.siyu.template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What each channel takes from a rendered template: HTML, a subject and its length (characters, as
 * mail clients show them; {@code 0}: none). How large the message itself may be is configured, in
 * {@link MessageLimits}.
 */
public record ChannelRules(String channel, boolean takesHtml, boolean takesSubject, int maxSubject) {
  /** The variant every channel falls back to; never a channel a touch is sent on. */
  public static final String DEFAULT = "default";

  private static final Map<String, ChannelRules> BY_CHANNEL = table(
      //               channel    HTML   subject  subject length
      new ChannelRules("wecom", false, false, 0),
      new ChannelRules("sms", false, false, 0),
      new ChannelRules("email", true, true, 200),
      new ChannelRules("webhook", true, false, 0),
      new ChannelRules("log", false, false, 0));

  /** Channels a template can be rendered for. */
  public static Set<String> channels() {
    return BY_CHANNEL.keySet();
  }

  /** Channels a variant can be written for: every channel plus {@value #DEFAULT}. */
  public static boolean isVariantChannel(String channel) {
    return DEFAULT.equals(channel) || BY_CHANNEL.containsKey(channel);
  }

  /** The rules of {@code channel}, or null for a channel templates do not know. */
  public static ChannelRules of(String channel) {
    return BY_CHANNEL.get(channel);
  }

  /** Fails the render when {@code text} is longer than {@code max} characters (0: no limit). */
  static void check(String what, String text, int max) {
    if (max > 0 && text != null) {
      new MessageLimits.Limit(max, false).check(what, text);
    }
  }

  private static Map<String, ChannelRules> table(ChannelRules... rules) {
    Map<String, ChannelRules> m = new LinkedHashMap<>();
    for (ChannelRules r : rules) {
      m.put(r.channel(), r);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
