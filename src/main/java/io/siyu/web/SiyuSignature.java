package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Siyu's signature for webhook calls, the same both ways: Siyu signs what the webhook channel
 * sends, and checks what the brand's systems send to it (receipts, member events).
 * {@code X-Siyu-Timestamp} is the epoch seconds of the call, {@code X-Siyu-Signature} is
 * {@code sha256=} and the lowercase hex HMAC-SHA256 of {@code "<timestamp>.<raw body>"}. Signing
 * the timestamp with the body lets a receiver refuse old calls, so a captured call cannot be
 * replayed later.
 */
public final class SiyuSignature {
  public static final String TIMESTAMP_HEADER = "X-Siyu-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Siyu-Signature";
  private static final String PREFIX = "sha256=";

  private SiyuSignature() {}

  /** Lowercase hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
  public static String sign(byte[] secret, String timestamp, Buffer body) {
    Mac mac = MACS.get().keyedWith(secret);
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
  }

  /**
   * Each thread keeps one HMAC ({@link JcaPerThread}), keyed with the secret it last signed with: the
   * webhook channel signs every touch with the same secret on the event loop, and keying a
   * {@code Mac} (two hashes of the padded key) is most of the cost of a small signature.
   */
  private static final ThreadLocal<KeyedMac> MACS =
      ThreadLocal.withInitial(() -> new KeyedMac(JcaPerThread.make(Mac::getInstance, "HmacSHA256")));

  private static final class KeyedMac {
    private final Mac mac;
    private byte[] key;

    KeyedMac(Mac mac) {
      this.mac = mac;
    }

    /** The thread's HMAC keyed with {@code secret}, ready for a new message. */
    Mac keyedWith(byte[] secret) {
      if (Arrays.equals(key, secret)) {
        mac.reset();
        return mac;
      }
      try {
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("not a usable HMAC key", e);
      }
      key = secret.clone();
      return mac;
    }
  }

  /** The {@code X-Siyu-Signature} value of a call. */
  public static String header(byte[] secret, String timestamp, Buffer body) {
    return PREFIX + sign(secret, timestamp, body);
  }

  /**
   * Passes when the call's timestamp is at most {@code maxAgeSeconds} away from {@code now} and
   * its signature matches the body under any of {@code secrets} (the current one and, while keys
   * are being rotated, the previous one); otherwise a 401 saying what is wrong. Compared in
   * constant time, so an attacker cannot learn a signature a byte at a time.
   */
  public static void verify(List<byte[]> secrets, MultiMap headers, Buffer body, Instant now, long maxAgeSeconds) {
    String timestamp = headers.get(TIMESTAMP_HEADER);
    String signature = headers.get(SIGNATURE_HEADER);
    long at;
    try {
      at = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw Problem.unauthorized(TIMESTAMP_HEADER + " (epoch seconds) is required");
    }
    if (Math.abs(now.getEpochSecond() - at) > maxAgeSeconds) {
      throw Problem.unauthorized(TIMESTAMP_HEADER + " is more than " + maxAgeSeconds + " s away from now");
    }
    byte[] given = signature == null ? new byte[0] : signature.getBytes(StandardCharsets.UTF_8);
    boolean matches = false;
    for (byte[] secret : secrets) {
      // every key is tried, so the time taken does not tell which one matched
      matches |= MessageDigest.isEqual(header(secret, timestamp, body).getBytes(StandardCharsets.UTF_8), given);
    }
    if (!matches) {
      throw Problem.unauthorized(SIGNATURE_HEADER + " does not match the body");
    }
  }
}
