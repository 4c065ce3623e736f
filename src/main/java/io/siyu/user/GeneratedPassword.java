package io.siyu.user;

import java.security.SecureRandom;

/**
 * The bootstrap admin's password when SIYU_ADMIN_PASSWORD is not set: 20 characters from an
 * alphabet without look-alikes (no 0/O, 1/l/I), about 116 bits, typed once from the start banner.
 */
final class GeneratedPassword {
  private static final String ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
  private static final int LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GeneratedPassword() {}

  static String make() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
