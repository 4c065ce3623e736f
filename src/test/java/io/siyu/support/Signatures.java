package io.siyu.support;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a provider signs a call to Siyu and how a receiver checks Siyu's calls
 * ({@code X-Siyu-Signature}), written out here rather than borrowed from Siyu's code.
 */
public final class Signatures {
  private Signatures() {}

  /** Lowercase hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
  public static String hex(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The webhook channel's header value: {@code sha256=} and the hex HMAC. */
  public static String expected(String secret, String timestamp, String body) {
    return "sha256=" + hex(secret, timestamp, body);
  }
}
