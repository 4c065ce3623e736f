package io.siyu.journey;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An event type with the properties an event must carry ({@code siyu.match}), e.g. "right.redeemed
 * where right_code is birthday". A wait for such an event is a BPMN message named
 * {@code right.redeemed {"right_code":"birthday"}}: the name alone tells the inbox which events
 * wake it, so nothing but the engine's own subscription table needs to be read.
 */
public final class EventMatch {
  private EventMatch() {}

  /** The message name for a wait on {@code type} with {@code match} (keys sorted: one name per condition). */
  public static String messageName(String type, JsonObject match) {
    return match == null || match.isEmpty() ? type : type + " " + new JsonObject(new TreeMap<>(match.getMap())).encode();
  }

  /** The event type of a message name. */
  public static String type(String messageName) {
    int space = messageName.indexOf(' ');
    return space < 0 ? messageName : messageName.substring(0, space);
  }

  /** The condition of a message name (empty when it has none). */
  public static JsonObject match(String messageName) {
    int space = messageName.indexOf(' ');
    return space < 0 ? new JsonObject() : new JsonObject(messageName.substring(space + 1));
  }

  /** Whether an event's properties carry every value {@code match} asks for (compared as text). */
  public static boolean matches(JsonObject match, JsonObject properties) {
    return match.fieldNames().stream().allMatch(k -> properties.containsKey(k)
        && Objects.equals(String.valueOf(match.getValue(k)), String.valueOf(properties.getValue(k))));
  }
}
