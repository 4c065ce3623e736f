package io.siyu.wecom.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What a customer or welcome message says: a text and up to nine attachments, in WeCom's own
 * attachment shape, passed through as they are ({@code {"msgtype": "link", "link": {"title": ...,
 * "url": ...}}}; also {@code image}, {@code miniprogram}, {@code video} and {@code file}).
 *
 * @param text null for attachments only
 * @param attachments empty for text only
 */
public record WecomContent(String text, JsonArray attachments) {
  /** Both {@code add_msg_template} and {@code send_welcome_msg} take at most nine. */
  public static final int MAX_ATTACHMENTS = 9;
  private static final Set<String> TYPES = Set.of("image", "link", "miniprogram", "video", "file");

  public WecomContent {
    attachments = attachments == null ? new JsonArray() : attachments.copy();
    if ((text == null || text.isBlank()) && attachments.isEmpty()) {
      throw new IllegalArgumentException("a WeCom message needs a text or an attachment");
    }
    if (attachments.size() > MAX_ATTACHMENTS) {
      throw new IllegalArgumentException("WeCom takes at most " + MAX_ATTACHMENTS + " attachments, got "
          + attachments.size());
    }
    for (int i = 0; i < attachments.size(); i++) {
      checkAttachment(i, attachments.getValue(i));
    }
  }

  public static WecomContent text(String text) {
    return new WecomContent(text, null);
  }

  /** Adds {@code text} and {@code attachments} to a request body, as both APIs spell them. */
  JsonObject writeTo(JsonObject request) {
    if (text != null && !text.isBlank()) {
      request.put("text", new JsonObject().put("content", text));
    }
    if (!attachments.isEmpty()) {
      request.put("attachments", attachments.copy());
    }
    return request;
  }

  private static void checkAttachment(int index, Object value) {
    String msgtype = value instanceof JsonObject a ? a.getString("msgtype") : null;
    if (msgtype == null || !TYPES.contains(msgtype) || !(((JsonObject) value).getValue(msgtype) instanceof JsonObject)) {
      throw new IllegalArgumentException("attachments[" + index + "] must be {\"msgtype\": t, t: {...}} with t one of "
          + TYPES + ", got " + value);
    }
  }
}
