package io.siyu.wecom.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Envs;
import io.siyu.support.TestClock;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WXBizMsgCrypt against the sample values of Tencent's own WXBizMsgCrypt sample code (the WeCom
 * callback samples: URL verification and a message), then both directions, every way a request
 * can fail, and the settings.
 */
class WecomCryptTest {
  // Tencent's sample: token, corp id and EncodingAESKey
  static final String TOKEN = "QDG6eK";
  static final String CORP_ID = "wx5823bf96d3bd56c7";
  static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

  // the sample's URL verification: GET /cgi-bin/wxpush?msg_signature=…&timestamp=…&nonce=…&echostr=…
  static final String VERIFY_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
  static final String VERIFY_TIMESTAMP = "1409659589";
  static final String VERIFY_NONCE = "263014780";
  static final String VERIFY_ECHOSTR =
      "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
  static final String VERIFY_PLAIN = "1616140317555161061";

  // the sample's callback: POST /cgi-bin/wxpush?msg_signature=…&timestamp=…&nonce=… with this body
  static final String MESSAGE_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6";
  static final String MESSAGE_TIMESTAMP = "1409659813";
  static final String MESSAGE_NONCE = "1372623149";
  static final String MESSAGE_ENCRYPT = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc"
      + "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+k"
      + "DZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGU"
      + "callcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1"
      + "ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
  static final String MESSAGE_BODY = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA["
      + MESSAGE_ENCRYPT + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
  /** What the sample's ciphertext decrypts to, as Tencent's documentation of the callback gives it. */
  static final String MESSAGE_PLAIN = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
      + "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
      + "<CreateTime>1409659813</CreateTime>\n"
      + "<MsgType><![CDATA[text]]></MsgType>\n"
      + "<Content><![CDATA[hello]]></Content>\n"
      + "<MsgId>4561255354251345929</MsgId>\n"
      + "<AgentID>218</AgentID>\n"
      + "</xml>";

  private static final Duration WINDOW = Duration.ofSeconds(300);
  private final WecomCrypt crypt = new WecomCrypt(TOKEN, AES_KEY, CORP_ID);

  @Test
  void tencentsUrlVerificationSample() {
    assertEquals(VERIFY_SIGNATURE, crypt.signature(VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR));
    Instant then = Instant.ofEpochSecond(Long.parseLong(VERIFY_TIMESTAMP) + 5);
    assertEquals(VERIFY_PLAIN, crypt.open(VERIFY_SIGNATURE, VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, then, WINDOW));
  }

  @Test
  void tencentsMessageSample() {
    JsonObject envelope = WecomCallback.elements(MESSAGE_BODY);
    assertEquals(MESSAGE_ENCRYPT, envelope.getString("Encrypt"));
    assertEquals(MESSAGE_SIGNATURE, crypt.signature(MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    Instant then = Instant.ofEpochSecond(Long.parseLong(MESSAGE_TIMESTAMP));
    String plain = crypt.open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, envelope.getString("Encrypt"), then, WINDOW);
    assertEquals(MESSAGE_PLAIN, plain);
    WecomCallback parsed = WecomCallback.parse(plain);
    assertEquals("wx5823bf96d3bd56c7", parsed.field("ToUserName"));
    assertEquals("text", parsed.field("MsgType"));
    assertEquals("hello", parsed.field("Content"));
    assertEquals("4561255354251345929", parsed.field("MsgId"));
  }

  @Test
  void encryptsAsWecomDoesAndBack() {
    byte[] random = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    String message = "<xml><Content><![CDATA[会员 ünïcode]]></Content></xml>";
    String encrypted = crypt.encrypt(message, random);
    assertEquals(encrypted, crypt.encrypt(message, random), "the same random bytes make the same ciphertext");
    assertNotEquals(encrypted, crypt.encrypt(message), "fresh random bytes make another");
    assertEquals(message, crypt.decrypt(encrypted));
    // the padding is to 32-byte blocks: 20 + message + corp id bytes, rounded up, never zero
    int plainBytes = 20 + message.getBytes(StandardCharsets.UTF_8).length + CORP_ID.length();
    assertEquals((plainBytes / 32 + 1) * 32, Base64.getDecoder().decode(encrypted).length);
    // the sample echostr survives a round trip through our encryption too
    assertEquals(VERIFY_PLAIN, crypt.decrypt(crypt.encrypt(VERIFY_PLAIN)));
  }

  @Test
  void refusesForgedStaleForeignAndBrokenRequests() {
    Instant then = Instant.ofEpochSecond(Long.parseLong(MESSAGE_TIMESTAMP));
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "msg_signature",
        () -> crypt.open("0".repeat(40), MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then, WINDOW));
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "msg_signature",
        () -> crypt.open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, "1372623150", MESSAGE_ENCRYPT, then, WINDOW));
    // the other token signs differently
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "msg_signature", () -> new WecomCrypt("other", AES_KEY, CORP_ID)
        .open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then, WINDOW));
    // an authentic request replayed after the window, or sent from a clock far ahead
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "301 s away",
        () -> crypt.open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then.plusSeconds(301), WINDOW));
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "301 s away",
        () -> crypt.open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then.minusSeconds(301), WINDOW));
    assertEquals(MESSAGE_PLAIN,
        crypt.open(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then.minusSeconds(300), WINDOW));
    // the same keys, but the message is addressed to another corp
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "another receive id",
        () -> new WecomCrypt(TOKEN, AES_KEY, "ww-other-corp").decrypt(MESSAGE_ENCRYPT));
    // what does not decrypt
    String wrongKey = new WecomCrypt(TOKEN, "a".repeat(43), CORP_ID).encrypt("<xml/>", new byte[16]);
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "", () -> crypt.decrypt(wrongKey));
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "does not decrypt", () -> crypt.decrypt("not base64 at all!"));
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "whole AES blocks",
        () -> crypt.decrypt(Base64.getEncoder().encodeToString(new byte[20])));
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "required",
        () -> crypt.open(null, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT, then, WINDOW));
    String signedGarbage = Base64.getEncoder().encodeToString(new byte[64]);
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "", () -> crypt.open(crypt.signature("1", "2", signedGarbage),
        "1", "2", signedGarbage, Instant.ofEpochSecond(1), WINDOW));
    assertRejected(WecomCrypt.Rejected.Reason.MALFORMED, "seconds", () -> crypt.open(crypt.signature("soon", "2", signedGarbage),
        "soon", "2", signedGarbage, Instant.ofEpochSecond(1), WINDOW));
  }

  @Test
  void theWindowFollowsAnInjectedClock() {
    TestClock clock = new TestClock(Instant.ofEpochSecond(Long.parseLong(VERIFY_TIMESTAMP)));
    assertEquals(VERIFY_PLAIN, crypt.open(VERIFY_SIGNATURE, VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, clock.instant(), WINDOW));
    clock.advance(Duration.ofSeconds(61));
    assertRejected(WecomCrypt.Rejected.Reason.UNAUTHENTICATED, "61 s away", () -> crypt.open(VERIFY_SIGNATURE,
        VERIFY_TIMESTAMP, VERIFY_NONCE, VERIFY_ECHOSTR, clock.instant(), Duration.ofSeconds(60)));
  }

  @Test
  void refusesKeysThatAreNotEncodingAesKeys() {
    assertThrows(IllegalArgumentException.class, () -> new WecomCrypt(TOKEN, AES_KEY.substring(1), CORP_ID));
    assertThrows(IllegalArgumentException.class, () -> new WecomCrypt(TOKEN, AES_KEY.substring(1) + "!", CORP_ID));
    assertThrows(IllegalArgumentException.class, () -> new WecomCrypt("", AES_KEY, CORP_ID));
  }

  @Test
  void settingsNameTheVariableToFix() {
    Map<String, String> env = Map.of("SIYU_WECOM_CORP_ID", CORP_ID, "SIYU_WECOM_TOKEN", TOKEN, "SIYU_WECOM_AES_KEY", AES_KEY);
    CallbackSettings s = CallbackSettings.fromEnv(env);
    assertTrue(s.configured());
    assertEquals(Duration.ofSeconds(300), s.window());
    assertEquals(8, s.attempts());
    assertEquals(VERIFY_PLAIN, s.crypt().decrypt(VERIFY_ECHOSTR));
    assertTrue(!CallbackSettings.fromEnv(Map.of("SIYU_WECOM_CORP_ID", CORP_ID)).configured());
    assertTrue(Envs.error(CallbackSettings::fromEnv, Map.of("SIYU_WECOM_TOKEN", TOKEN)).contains("SIYU_WECOM_AES_KEY"));
    assertTrue(Envs.error(CallbackSettings::fromEnv, Map.of("SIYU_WECOM_TOKEN", TOKEN, "SIYU_WECOM_AES_KEY", AES_KEY))
        .contains("SIYU_WECOM_CORP_ID"));
    assertTrue(Envs.error(CallbackSettings::fromEnv, Envs.with(env, "SIYU_WECOM_AES_KEY", "short")).contains("SIYU_WECOM_AES_KEY"));
    assertTrue(Envs.error(CallbackSettings::fromEnv, Envs.with(env, "SIYU_WECOM_CALLBACK_ATTEMPTS", "0"))
        .contains("SIYU_WECOM_CALLBACK_ATTEMPTS"));
    assertEquals(30_000, s.backoffMs(1));
    assertEquals(60_000, s.backoffMs(2));
    assertEquals(3_600_000, s.backoffMs(30));
  }

  private static void assertRejected(WecomCrypt.Rejected.Reason reason, String saying, Runnable r) {
    WecomCrypt.Rejected e = assertThrows(WecomCrypt.Rejected.class, r::run);
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(saying), e.getMessage());
  }
}
