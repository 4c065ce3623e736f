package io.siyu.user;

import java.util.Locale;

/**
 * What a password must be: at least {@value #MIN_LENGTH} characters (length, not character classes,
 * is what makes a password hard to guess), at most {@value #MAX_LENGTH} (hashing is the cost of a
 * sign-in, and no one types more), and not the person's own email.
 */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 12;
  static final int MAX_LENGTH = 256;

  private PasswordPolicy() {}

  /** Why {@code password} may not be used by the person with {@code email}, or null when it may. */
  public static String problem(String password, String email) {
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      return "must be at least " + MIN_LENGTH + " characters";
    }
    if (length > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters";
    }
    if (password.indexOf('\0') >= 0) {
      return "must not contain NUL characters";
    }
    if (email != null && password.strip().toLowerCase(Locale.ROOT).equals(email.strip().toLowerCase(Locale.ROOT))) {
      return "must not be the email address";
    }
    return null;
  }
}
