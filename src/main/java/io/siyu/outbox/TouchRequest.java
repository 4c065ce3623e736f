package io.siyu.outbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A touch to write into the outbox: one message on one channel to one contact. {@code touchKey}
 * is the writer's idempotency key (a journey uses its process instance and activity, so a step
 * its engine retries writes one touch); {@code payload} is a JSON object, the template's data.
 * The journey fields may be null for touches that come from elsewhere.
 *
 * @throws IllegalArgumentException when a required field is missing or the payload is not a JSON object
 */
public record TouchRequest(String touchKey, long contactId, String journeyKey, String processInstanceId,
    String activityId, String channel, String templateKey, String payload) {
  public static final int MAX_KEY = 200;

  public TouchRequest {
    require(touchKey != null && !touchKey.isBlank() && touchKey.length() <= MAX_KEY,
        "touchKey is required, 1 to " + MAX_KEY + " characters");
    require(contactId > 0, "contactId must be a contact's id");
    require(channel != null && !channel.isBlank(), "channel is required");
    require(templateKey != null && !templateKey.isBlank(), "templateKey is required");
    payload = payload == null ? "{}" : payload;
    // PostgreSQL text and jsonb cannot hold U+0000: refuse it here, with a message that says so
    for (String s : new String[] {touchKey, journeyKey, processInstanceId, activityId, channel, templateKey, payload}) {
      require(s == null || s.indexOf('\u0000') < 0, "text must not contain the NUL character");
    }
    require(!payload.contains("\\u0000"), "payload must not contain the NUL character");
    try {
      new JsonObject(payload); // rejected here rather than as a cast error inside the caller's transaction
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("payload must be a JSON object");
    }
  }

  /** The same, with the payload as a map (Camunda variables, say) encoded to JSON. */
  public TouchRequest(String touchKey, long contactId, String journeyKey, String processInstanceId,
      String activityId, String channel, String templateKey, Map<String, ?> payload) {
    this(touchKey, contactId, journeyKey, processInstanceId, activityId, channel, templateKey,
        payload == null ? null : encode(payload));
  }

  @SuppressWarnings("unchecked")
  private static String encode(Map<String, ?> payload) {
    return new JsonObject((Map<String, Object>) payload).encode();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
