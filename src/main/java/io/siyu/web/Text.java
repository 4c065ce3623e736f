package io.siyu.web;

/**
 * What text from outside must be before Siyu keeps it. Every string: something PostgreSQL can
 * store as it was sent, so no NUL (text cannot hold U+0000: error 22021) and no lone UTF-16
 * surrogate (it has no UTF-8 form and was stored as {@code ?}, so two ids differing only there
 * became one). Ids and keys from outside (event ids, idempotency keys, platform user ids) also
 * carry no control characters: they end up in headers, logs and URLs, where a line break splits
 * or ends what carries it.
 */
public final class Text {
  private Text() {}

  /** Why {@code s} cannot be stored as sent, or null when it can. */
  public static String unstorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0000') {
        return "must not contain the NUL character (\\u0000)";
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) {
          return "must not contain a lone surrogate (\\ud800 to \\udfff outside a pair): it is not a character";
        }
        i++;
      }
    }
    return null;
  }

  /**
   * Why {@code s} is not an id or key from outside of 1 to {@code max} characters, or null when it
   * is: not blank, storable, and without control characters (C0, DEL, C1).
   */
  public static String keyProblem(String s, int max) {
    if (s == null || s.isBlank() || s.length() > max) {
      return "is required, 1 to " + max + " characters";
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      return "must not contain control characters such as a line break or a tab";
    }
    return unstorable(s);
  }
}
