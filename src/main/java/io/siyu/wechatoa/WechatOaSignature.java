package io.siyu.wechatoa;

import io.siyu.problem.Problem;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The Official Account platform's signature on its calls (plain mode): the query parameters
 * {@code signature}, {@code timestamp} and {@code nonce}, where {@code signature} is the SHA-1 hex
 * of the Token, the timestamp and the nonce sorted as strings and joined. It does not cover the
 * body: only the Token's secrecy, HTTPS and the replay window keep a forged body out.
 */
final class WechatOaSignature {
  private WechatOaSignature() {}

  static String sign(String token, String timestamp, String nonce) {
    String joined = String.join("", Stream.of(token, timestamp, nonce).sorted().toList());
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(joined.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  /** Passes for a call signed with {@code token} within {@code maxAgeSeconds} of now; otherwise a 401. */
  static void verify(String token, MultiMap query, Instant now, long maxAgeSeconds) {
    String signature = query.get("signature");
    String timestamp = query.get("timestamp");
    String nonce = query.get("nonce");
    if (signature == null || timestamp == null || nonce == null) {
      throw Problem.unauthorized("The query parameters signature, timestamp and nonce are required");
    }
    long at;
    try {
      at = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw Problem.unauthorized("timestamp must be epoch seconds");
    }
    if (Math.abs(now.getEpochSecond() - at) > maxAgeSeconds) {
      throw Problem.unauthorized("timestamp is more than " + maxAgeSeconds + " s away from now");
    }
    // in constant time, so an attacker cannot learn the signature a byte at a time
    if (!MessageDigest.isEqual(sign(token, timestamp, nonce).getBytes(StandardCharsets.US_ASCII),
        signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw Problem.unauthorized("signature does not match SIYU_WECHAT_OA_TOKEN, timestamp and nonce");
    }
  }
}
