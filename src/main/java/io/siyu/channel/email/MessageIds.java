package io.siyu.channel.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Message-ID of a touch's email, made from its idempotency key so every try of one touch
 * carries the same id: a receiving system that deduplicates on Message-ID (many do) shows a retried
 * touch once, and a bounce names the touch.
 */
final class MessageIds {
  /** Keys longer than this are hashed, keeping the header well inside SMTP's line limit. */
  private static final int MAX_KEY_CHARS = 64;

  private MessageIds() {}

  /**
   * {@code <siyu.KEY@domain>}: letters, digits, '-' and '_' of the key stay as they are, every other
   * byte becomes {@code %XX}, so distinct keys give distinct ids and the id is always valid
   * (RFC 5322 dot-atom text).
   */
  static String of(String idempotencyKey, String domain) {
    String local = idempotencyKey.length() <= MAX_KEY_CHARS ? escape(idempotencyKey) : "sha256-" + sha256(idempotencyKey);
    return "<siyu." + local + "@" + domain + ">";
  }

  private static String escape(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
