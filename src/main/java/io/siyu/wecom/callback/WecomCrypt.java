package io.siyu.wecom.callback;

import io.siyu.web.JcaPerThread;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's callback cryptography (WXBizMsgCrypt), both ways.
 *
 * <ul>
 *   <li>Signature: SHA-1, in hex, of the token, timestamp, nonce and ciphertext sorted and joined.
 *   <li>Key: the 43-character EncodingAESKey plus "=", Base64-decoded: 32 bytes, AES-256.
 *   <li>Cipher: AES-256-CBC whose IV is the key's first 16 bytes, padded PKCS#7-style to a
 *       multiple of 32 bytes (not AES's block of 16, hence NoPadding and our own padding).
 *   <li>Plaintext: 16 random bytes, the message's length in 4 big-endian bytes, the message
 *       (UTF-8), then the receive id, which must be our corp id.
 * </ul>
 *
 * Thread-safe: each thread keeps its own {@link Cipher} and SHA-1 digest ({@link JcaPerThread}),
 * initialised per call.
 */
public final class WecomCrypt {
  private static final int PAD_BLOCK = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Cipher> AES_CBC = JcaPerThread.of(Cipher::getInstance, "AES/CBC/NoPadding");
  private static final ThreadLocal<MessageDigest> SHA1 = JcaPerThread.of(MessageDigest::getInstance, "SHA-1");

  private final String token;
  private final SecretKeySpec key;
  private final IvParameterSpec iv;
  private final String receiveId;

  /**
   * @throws IllegalArgumentException when the EncodingAESKey is not 43 Base64 characters of a 32-byte key
   */
  public WecomCrypt(String token, String encodingAesKey, String receiveId) {
    if (token == null || token.isEmpty() || receiveId == null || receiveId.isEmpty()) {
      throw new IllegalArgumentException("the token and the receive id must not be empty");
    }
    this.token = token;
    this.receiveId = receiveId;
    byte[] raw = aesKey(encodingAesKey);
    this.key = new SecretKeySpec(raw, "AES");
    this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
  }

  /** The 32 bytes of an EncodingAESKey, or an IllegalArgumentException saying what is wrong with it. */
  static byte[] aesKey(String encodingAesKey) {
    if (encodingAesKey == null || encodingAesKey.length() != 43) {
      throw new IllegalArgumentException("an EncodingAESKey has 43 characters");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(encodingAesKey + "=");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an EncodingAESKey is Base64 (letters and digits)");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("an EncodingAESKey decodes to 32 bytes");
    }
    return raw;
  }

  /** The msg_signature WeCom sends with {@code encrypted} (an Encrypt element or an echostr). */
  public String signature(String timestamp, String nonce, String encrypted) {
    String[] parts = {token, timestamp, nonce, encrypted};
    Arrays.sort(parts);
    // digest() resets the digest, so the thread's one is ready for the next call
    return HexFormat.of().formatHex(SHA1.get().digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Checks a request and answers its plaintext: the signature first (so nothing of a forged
   * request is decrypted), then that the timestamp lies within {@code window} of {@code now}
   * either way, then the decryption and the receive id.
   *
   * @throws Rejected saying why the request is not WeCom's or cannot be read
   */
  public String open(String msgSignature, String timestamp, String nonce, String encrypted, Instant now, Duration window) {
    if (msgSignature == null || timestamp == null || nonce == null || encrypted == null) {
      throw new Rejected(Rejected.Reason.MALFORMED, "msg_signature, timestamp, nonce and the ciphertext are all required");
    }
    byte[] expected = signature(timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, msgSignature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw new Rejected(Rejected.Reason.UNAUTHENTICATED, "msg_signature does not match");
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new Rejected(Rejected.Reason.MALFORMED, "timestamp is not a number of seconds");
    }
    long skew = Math.abs(now.getEpochSecond() - sentAt);
    if (skew > window.toSeconds()) {
      throw new Rejected(Rejected.Reason.UNAUTHENTICATED, "timestamp is " + skew + " s away from now; at most "
          + window.toSeconds() + " s are accepted");
    }
    return decrypt(encrypted);
  }

  /**
   * The message inside {@code encrypted} (Base64, as in Encrypt or echostr).
   *
   * @throws Rejected when it does not decrypt to a well-formed plaintext for our receive id
   */
  public String decrypt(String encrypted) {
    byte[] plain;
    try {
      byte[] data = Base64.getDecoder().decode(encrypted);
      if (data.length == 0 || data.length % 16 != 0) {
        throw new Rejected(Rejected.Reason.MALFORMED, "the ciphertext is not whole AES blocks");
      }
      Cipher cipher = AES_CBC.get();
      cipher.init(Cipher.DECRYPT_MODE, key, iv);
      plain = unpad(cipher.doFinal(data));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new Rejected(Rejected.Reason.MALFORMED, "the ciphertext does not decrypt");
    }
    if (plain.length < 20) {
      throw new Rejected(Rejected.Reason.MALFORMED, "the plaintext is too short");
    }
    int length = ByteBuffer.wrap(plain, 16, 4).getInt();
    if (length < 0 || length > plain.length - 20) {
      throw new Rejected(Rejected.Reason.MALFORMED, "the plaintext's length field is out of range");
    }
    String from = new String(plain, 20 + length, plain.length - 20 - length, StandardCharsets.UTF_8);
    if (!from.equals(receiveId)) {
      throw new Rejected(Rejected.Reason.UNAUTHENTICATED, "the message is addressed to another receive id");
    }
    return new String(plain, 20, length, StandardCharsets.UTF_8);
  }

  /** {@code message} encrypted for our receive id, as WeCom would send it (Base64). */
  public String encrypt(String message) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    return encrypt(message, random);
  }

  /** The same with the 16 leading bytes given, for fixtures that must not change. */
  public String encrypt(String message, byte[] random16) {
    if (random16.length != 16) {
      throw new IllegalArgumentException("16 random bytes lead the plaintext");
    }
    byte[] msg = message.getBytes(StandardCharsets.UTF_8);
    byte[] to = receiveId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer plain = ByteBuffer.allocate(20 + msg.length + to.length);
    plain.put(random16).putInt(msg.length).put(msg).put(to);
    try {
      Cipher cipher = AES_CBC.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, iv);
      return Base64.getEncoder().encodeToString(cipher.doFinal(pad(plain.array())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC is part of every Java runtime", e);
    }
  }

  private static byte[] pad(byte[] data) {
    int n = PAD_BLOCK - data.length % PAD_BLOCK;
    byte[] out = Arrays.copyOf(data, data.length + n);
    Arrays.fill(out, data.length, out.length, (byte) n);
    return out;
  }

  private static byte[] unpad(byte[] data) {
    int n = data[data.length - 1] & 0xff;
    if (n < 1 || n > PAD_BLOCK || n > data.length) {
      throw new Rejected(Rejected.Reason.MALFORMED, "the plaintext's padding is not valid");
    }
    for (int i = data.length - n; i < data.length; i++) {
      if ((data[i] & 0xff) != n) {
        throw new Rejected(Rejected.Reason.MALFORMED, "the plaintext's padding is not valid");
      }
    }
    return Arrays.copyOf(data, data.length - n);
  }

  /**
   * A callback Siyu must not act on, with the reason in words fit for the operator reading the
   * answer. {@link Reason#UNAUTHENTICATED} (forged, stale, or for another corp) suits a 401,
   * {@link Reason#MALFORMED} a 400.
   */
  public static final class Rejected extends RuntimeException {
    public enum Reason { UNAUTHENTICATED, MALFORMED }

    private final Reason reason;

    public Rejected(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }
}
