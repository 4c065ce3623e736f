package io.siyu.channel;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** How a provider computes {@code X-Siyu-Signature}, written out here rather than borrowed from Siyu's code. */
public final class Hmac {
  private Hmac() {}

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
}
