package io.siyu.locale;

import java.util.Locale;
import java.util.regex.Pattern;

/** Locale tags as templates use them: BCP 47 such as {@code zh-CN} or {@code en}, in canonical case. */
public final class Locales {
  /** The locale of last resort: Siyu's members are mostly Chinese speakers. */
  public static final String FALLBACK = "zh-CN";
  private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");

  private Locales() {}

  /** {@code tag} in canonical form ({@code zh-cn} becomes {@code zh-CN}), or null when it is no locale tag. */
  public static String canonical(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      return null;
    }
    return Locale.forLanguageTag(tag).toLanguageTag();
  }

  /** The language of a tag: {@code zh} of {@code zh-CN}. */
  public static String language(String tag) {
    int dash = tag.indexOf('-');
    return dash < 0 ? tag : tag.substring(0, dash);
  }
}
