package io.siyu.channel.sms;

import io.siyu.channel.sms.SmsCallbackRejected.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads the gateway's callbacks to Siyu: {@code {"receipts": [{"request_id", "status":
 * "DELIVERED"|"FAILED", "error"?, "at"}]}} and {@code {"replies": [{"mobile", "text", "at"}]}}
 * (one body may carry both), {@code at} in ISO-8601 with an offset.
 *
 * <p>A callback is signed like Siyu's requests ({@link SmsSignature}) and accepted only while its
 * timestamp is within {@code SIYU_SMS_RECEIPT_MAX_AGE_SECONDS} of now, either way. Within the
 * window a captured callback can be replayed: receipts are idempotent by {@code request_id} and
 * status, so whoever records them must treat a repeat as a no-op.
 */
public final class SmsCallbackParser {
  private final byte[] secret;
  private final long maxAgeSeconds;
  private final Clock clock;

  SmsCallbackParser(SmsSettings settings, Clock clock) {
    this.secret = settings.secretBytes();
    this.maxAgeSeconds = settings.receiptMaxAgeSeconds();
    this.clock = clock;
  }

  public SmsCallbackParser(SmsSettings settings) {
    this(settings, Clock.systemUTC());
  }

  /** The callback, or {@link SmsCallbackRejected} saying why not; the body is read only once it is authentic. */
  public SmsCallback parse(String timestamp, String signature, Buffer body) {
    authenticate(timestamp, signature, body);
    JsonObject json = object(body);
    JsonArray receipts = array(json, "receipts");
    JsonArray replies = array(json, "replies");
    if (receipts == null && replies == null) {
      throw malformed("the body has neither \"receipts\" nor \"replies\"");
    }
    return new SmsCallback(each(receipts, "receipts", this::receipt), each(replies, "replies", this::reply));
  }

  private void authenticate(String timestamp, String signature, Buffer body) {
    if (timestamp == null || signature == null) {
      throw new SmsCallbackRejected(Reason.UNAUTHENTICATED, "missing " + (timestamp == null
          ? SmsSignature.TIMESTAMP_HEADER : SmsSignature.SIGNATURE_HEADER) + " header");
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new SmsCallbackRejected(Reason.UNAUTHENTICATED, SmsSignature.TIMESTAMP_HEADER
          + " must be epoch seconds, got '" + timestamp + "'");
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - sentAt);
    if (skew > maxAgeSeconds) {
      throw new SmsCallbackRejected(Reason.UNAUTHENTICATED, SmsSignature.TIMESTAMP_HEADER + " is " + skew
          + " s from now; callbacks more than " + maxAgeSeconds + " s away are refused as replays");
    }
    if (!SmsSignature.matches(secret, timestamp, body, signature.strip())) {
      throw new SmsCallbackRejected(Reason.UNAUTHENTICATED, SmsSignature.SIGNATURE_HEADER
          + " does not match: expected the hex HMAC-SHA256 of \"<timestamp>.<body>\" with SIYU_SMS_SECRET");
    }
  }

  private SmsReceipt receipt(JsonObject item, String path) {
    String status = text(item, "status", path);
    if (!status.equals("DELIVERED") && !status.equals("FAILED")) {
      throw malformed(path + ".status must be DELIVERED or FAILED, got '" + status + "'");
    }
    Object error = item.getValue("error");
    return new SmsReceipt(text(item, "request_id", path), SmsReceipt.Status.valueOf(status),
        error == null ? null : String.valueOf(error), at(item, path));
  }

  private SmsReply reply(JsonObject item, String path) {
    if (!(item.getValue("text") instanceof String text)) {
      throw malformed(path + ".text must be a string");
    }
    return new SmsReply(text(item, "mobile", path), text, at(item, path));
  }

  private static <T> List<T> each(JsonArray items, String name, BiFunction<JsonObject, String, T> read) {
    List<T> out = new ArrayList<>();
    for (int i = 0; items != null && i < items.size(); i++) {
      String path = name + "[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw malformed(path + " must be an object");
      }
      out.add(read.apply(item, path));
    }
    return out;
  }

  private static JsonObject object(Buffer body) {
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw malformed("the body is not a JSON object");
    }
  }

  private static JsonArray array(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonArray)) {
      throw malformed("\"" + key + "\" must be an array");
    }
    return (JsonArray) value;
  }

  private static String text(JsonObject item, String key, String path) {
    if (!(item.getValue(key) instanceof String value) || value.isBlank()) {
      throw malformed(path + "." + key + " must be a non-empty string");
    }
    return value;
  }

  private static Instant at(JsonObject item, String path) {
    String at = text(item, "at", path);
    try {
      return OffsetDateTime.parse(at).toInstant();
    } catch (DateTimeParseException e) {
      throw malformed(path + ".at must be an ISO-8601 time with an offset, got '" + at + "'");
    }
  }

  private static SmsCallbackRejected malformed(String message) {
    return new SmsCallbackRejected(Reason.MALFORMED, message);
  }
}
