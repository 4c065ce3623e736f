package io.siyu.channel.sms;

import io.siyu.web.SiyuSignature;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The gateway's signature, both ways: {@code X-Siyu-Signature} is the lowercase hex HMAC-SHA256 of
 * {@code "<X-Siyu-Timestamp>.<body>"} with {@code SIYU_SMS_SECRET} (the webhook channel's scheme,
 * without its {@code sha256=} prefix), the timestamp in epoch seconds.
 */
final class SmsSignature {
  static final String TIMESTAMP_HEADER = SiyuSignature.TIMESTAMP_HEADER;
  static final String SIGNATURE_HEADER = SiyuSignature.SIGNATURE_HEADER;

  private SmsSignature() {}

  static String sign(byte[] secret, String timestamp, Buffer body) {
    return SiyuSignature.sign(secret, timestamp, body);
  }

  /** In constant time, so an attacker cannot learn the signature a byte at a time. */
  static boolean matches(byte[] secret, String timestamp, Buffer body, String signature) {
    byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }
}
