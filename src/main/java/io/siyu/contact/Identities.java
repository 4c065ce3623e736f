package io.siyu.contact;

import io.siyu.web.Text;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identities a contact can be found by, and how each is normalised so that the same person
 * typed two ways is still one contact: mobiles to E.164 (mainland China, +86, by default),
 * emails to lower case.
 */
public final class Identities {
  /** In the order the API and the import name them. */
  public static final List<String> KEYS = List.of("external_userid", "unionid", "openid", "mobile", "email");

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");

  private Identities() {}

  /**
   * Normalises a mobile number to E.164, or throws IllegalArgumentException. Numbers without a
   * country code are taken as {@code defaultCountryCode}; an 11-digit mainland number starting
   * with 1 is the common case.
   */
  public static String mobile(String raw, String defaultCountryCode) {
    String s = SEPARATORS.matcher(raw.trim()).replaceAll("");
    if (s.startsWith("00")) {
      s = "+" + s.substring(2);
    }
    String digits;
    if (s.startsWith("+")) {
      digits = s.substring(1);
    } else if ("86".equals(defaultCountryCode) && s.length() == 13 && s.startsWith("861")) {
      digits = s;
    } else {
      digits = defaultCountryCode + (s.startsWith("0") ? s.substring(1) : s);
    }
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() < 8 || digits.length() > 15
        || digits.startsWith("0")) {
      throw new IllegalArgumentException("is not a valid mobile number");
    }
    if (digits.startsWith("86") && !(digits.length() == 13 && digits.charAt(2) == '1')) {
      throw new IllegalArgumentException("is not a valid mainland China mobile number (11 digits starting with 1)");
    }
    return "+" + digits;
  }

  public static String email(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    if (s.length() > 254 || !EMAIL.matcher(s).matches()) {
      throw new IllegalArgumentException("is not a valid email address");
    }
    return s;
  }

  /** Opaque platform ids (WeCom external_userid, unionid, openid): trimmed, 1 to 128 characters, an external key. */
  public static String opaque(String raw) {
    String s = raw.trim();
    String problem = Text.keyProblem(s, 128);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return s;
  }

  /** Normalises the identity named {@code key}. */
  public static String normalise(String key, String raw, String defaultCountryCode) {
    return switch (key) {
      case "mobile" -> mobile(raw, defaultCountryCode);
      case "email" -> email(raw);
      default -> opaque(raw);
    };
  }
}
