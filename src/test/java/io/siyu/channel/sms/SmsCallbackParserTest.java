package io.siyu.channel.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.channel.sms.SmsCallbackRejected.Reason;
import io.siyu.support.Signatures;
import io.siyu.support.TestClock;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gateway callbacks: signed receipts and replies are read; forged, stale and malformed ones are refused. */
class SmsCallbackParserTest {
  private static final String SECRET = "sms-shared-secret-0001";
  private final TestClock clock = TestClock.now();
  private final SmsCallbackParser parser = new SmsCallbackParser(SmsSettings.fromEnv(Map.of(
      "SIYU_SMS_URL", "http://127.0.0.1:9/sms", "SIYU_SMS_SECRET", SECRET)).orElseThrow(), clock);

  private String now() {
    return Long.toString(clock.instant().getEpochSecond());
  }

  private SmsCallback parseSigned(String body) {
    return parser.parse(now(), Signatures.hex(SECRET, now(), body), Buffer.buffer(body));
  }

  private SmsCallbackRejected rejected(String timestamp, String signature, String body) {
    return assertThrows(SmsCallbackRejected.class, () -> parser.parse(timestamp, signature, Buffer.buffer(body)));
  }

  private SmsCallbackRejected malformed(String body) {
    SmsCallbackRejected e = rejected(now(), Signatures.hex(SECRET, now(), body), body);
    assertEquals(Reason.MALFORMED, e.reason());
    return e;
  }

  @Test
  void receiptsAndRepliesAreRead() {
    SmsCallback callback = parseSigned("""
        {"receipts": [
           {"request_id": "touch-1", "status": "DELIVERED", "at": "2026-11-11T10:00:05+08:00"},
           {"request_id": "touch-2", "status": "FAILED", "error": "MK:0001 空号", "at": "2026-11-11T02:00:06Z"}],
         "replies": [{"mobile": "+8613800138000", "text": "TD", "at": "2026-11-11T10:01:00+08:00"}]}""");

    assertEquals(List.of(
        new SmsReceipt("touch-1", SmsReceipt.Status.DELIVERED, null, Instant.parse("2026-11-11T02:00:05Z")),
        new SmsReceipt("touch-2", SmsReceipt.Status.FAILED, "MK:0001 空号", Instant.parse("2026-11-11T02:00:06Z"))),
        callback.receipts());
    assertEquals(List.of(new SmsReply("+8613800138000", "TD", Instant.parse("2026-11-11T02:01:00Z"))),
        callback.replies());
    assertEquals(List.of(), parseSigned("{\"replies\": []}").receipts(), "either part alone is fine");
  }

  @Test
  void aForgedOrUnsignedCallbackIsRefused() {
    String body = "{\"receipts\": []}";
    SmsCallbackRejected forged = rejected(now(), Signatures.hex("another-secret-0000", now(), body), body);
    assertEquals(Reason.UNAUTHENTICATED, forged.reason());
    assertTrue(forged.getMessage().startsWith("X-Siyu-Signature does not match"), forged.getMessage());

    String tampered = "{\"receipts\": [], \"replies\": []}";
    assertEquals(Reason.UNAUTHENTICATED, rejected(now(), Signatures.hex(SECRET, now(), body), tampered).reason());
    assertEquals("missing X-Siyu-Signature header", rejected(now(), null, body).getMessage());
    assertEquals("missing X-Siyu-Timestamp header", rejected(null, "ab", body).getMessage());
    assertEquals("X-Siyu-Timestamp must be epoch seconds, got '2026-11-11'",
        rejected("2026-11-11", "ab", body).getMessage());
    String upper = Signatures.hex(SECRET, now(), body).toUpperCase();
    parser.parse(now(), upper, Buffer.buffer(body));
  }

  @Test
  void aCallbackOutsideTheReplayWindowIsRefused() {
    String body = "{\"receipts\": []}";
    String sentAt = now();
    String signature = Signatures.hex(SECRET, sentAt, body);
    clock.advance(Duration.ofSeconds(300));
    parser.parse(sentAt, signature, Buffer.buffer(body));

    clock.advance(Duration.ofSeconds(1));
    SmsCallbackRejected stale = rejected(sentAt, signature, body);
    assertEquals(Reason.UNAUTHENTICATED, stale.reason());
    assertEquals("X-Siyu-Timestamp is 301 s from now; callbacks more than 300 s away are refused as replays",
        stale.getMessage());

    String future = Long.toString(clock.instant().getEpochSecond() + 301);
    assertEquals(Reason.UNAUTHENTICATED, rejected(future, Signatures.hex(SECRET, future, body), body).reason());
  }

  @Test
  void malformedBodiesAreRefusedWithThePlaceOfTheMistake() {
    assertEquals("the body is not a JSON object", malformed("receipts=1").getMessage());
    assertEquals("the body is not a JSON object", malformed("[]").getMessage());
    assertEquals("the body has neither \"receipts\" nor \"replies\"", malformed("{\"ok\": true}").getMessage());
    assertEquals("\"receipts\" must be an array", malformed("{\"receipts\": {}}").getMessage());
    assertEquals("receipts[0] must be an object", malformed("{\"receipts\": [\"touch-1\"]}").getMessage());
    assertEquals("receipts[0].status must be DELIVERED or FAILED, got 'READ'", malformed(
        "{\"receipts\": [{\"request_id\": \"t\", \"status\": \"READ\", \"at\": \"2026-11-11T10:00:00Z\"}]}")
        .getMessage());
    assertEquals("receipts[0].request_id must be a non-empty string", malformed(
        "{\"receipts\": [{\"status\": \"FAILED\", \"at\": \"2026-11-11T10:00:00Z\"}]}").getMessage());
    assertEquals("replies[0].at must be an ISO-8601 time with an offset, got '2026-11-11 10:00'", malformed(
        "{\"replies\": [{\"mobile\": \"+86138\", \"text\": \"hi\", \"at\": \"2026-11-11 10:00\"}]}").getMessage());
    assertEquals("replies[0].text must be a string", malformed(
        "{\"replies\": [{\"mobile\": \"+86138\", \"at\": \"2026-11-11T10:00:00Z\"}]}").getMessage());
  }

  @Test
  void onlyAWholeOptOutKeywordUnsubscribes() {
    Instant at = Instant.now();
    for (String text : List.of("TD", " td ", "Td", "退订", " 退订\n", "ＴＤ")) {
      assertTrue(new SmsReply("+86138", text, at).isUnsubscribe(), text);
    }
    for (String text : List.of("TD是什么", "不要退订", "T", "", "谢谢")) {
      assertFalse(new SmsReply("+86138", text, at).isUnsubscribe(), text);
    }
  }
}
