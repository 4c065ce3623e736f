package io.siyu.wecom.callback;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One decrypted WeCom callback, as stored in the callback inbox: its {@code Event} and
 * {@code ChangeType}, and every element of the message as JSON. A leaf element is its text; an
 * element with children is an object; a name repeated under one parent (the {@code Item}s of a
 * group chat's member list) becomes an array.
 *
 * @param id the inbox row, stable across retries and replays: handlers derive their idempotency
 *     keys (event ids, say) from it or from the message's own ids
 */
public record WecomCallback(long id, String event, String changeType, JsonObject fields, Instant receivedAt) {
  /** Decrypted callbacks are small; anything larger is not WeCom's. */
  public static final int MAX_XML_CHARS = 64 * 1024;
  /** The fields that name what a callback is about, in the order they are looked for (see {@link #subject}). */
  private static final List<String> SUBJECTS = List.of("ExternalUserID", "ChatId", "UserID", "Id");

  /**
   * What the callback is about, e.g. {@code ExternalUserID:wmxxxx}: callbacks about the same thing
   * are handled in the order they arrived (a deletion must not overtake the addition before it).
   */
  public String subject() {
    for (String name : SUBJECTS) {
      String value = field(name);
      if (value != null && !value.isEmpty()) {
        return name + ":" + value;
      }
    }
    return "callback:" + id;
  }

  /** A top-level element's text, or null. */
  public String field(String name) {
    Object v = fields.getValue(name);
    return v == null ? null : v.toString();
  }

  /**
   * The elements of a decrypted message (not yet stored: id 0, received now). XML with a DOCTYPE
   * is refused outright, so no entity can be declared, expanded or fetched.
   *
   * @throws IllegalArgumentException when it is not a well-formed, DTD-free message under the size limit
   */
  public static WecomCallback parse(String xml) {
    JsonObject fields = elements(xml);
    return new WecomCallback(0, stringOrNull(fields, "Event"), stringOrNull(fields, "ChangeType"), fields, Instant.now());
  }

  /** The children of the document's root element as JSON (see the class comment and {@link WecomXml}). */
  public static JsonObject elements(String xml) {
    if (xml == null || xml.length() > MAX_XML_CHARS) {
      throw new IllegalArgumentException("message missing or larger than " + MAX_XML_CHARS + " characters");
    }
    return WecomXml.elements(xml);
  }

  private static String stringOrNull(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String s ? s : null;
  }
}
