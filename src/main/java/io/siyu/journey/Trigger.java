package io.siyu.journey;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * How contacts enter a journey and how often, read from {@code camunda:property} entries on the
 * process's start event (so the BPMN file is the single source of truth):
 * <pre>
 *   siyu.trigger  event | segment | birthday | schedule | manual
 *   siyu.event    member.registered[,wecom.contact_added]   (event)
 *   siyu.match    {"to":"dormant"}  properties the event must have (event, optional)
 *   siyu.segment  a saved segment id                         (segment, schedule)
 *   siyu.hour     local hour of the birthday entry, 0..23   (birthday, default 9)
 *   siyu.cron     Quartz cron expression                     (schedule)
 *   siyu.reentry  once | yearly | monthly | daily | always   (default once)
 *   siyu.existing enter | skip  whether the segment's members at the first scan enter (segment, default skip)
 * </pre>
 * Why not a message start event named after the event type: Camunda allows one process per
 * message start name, and several journeys may start on the same event.
 */
public record Trigger(String type, List<String> events, JsonObject match, Long segmentId, int hour, String cron,
    Reentry reentry, boolean enterExisting) {

  public static final List<String> TYPES = List.of("event", "segment", "birthday", "schedule", "manual");
  /** The start event's properties read here. */
  public static final java.util.Set<String> PROPERTIES = java.util.Set.of("siyu.trigger", "siyu.event", "siyu.match",
      "siyu.segment", "siyu.hour", "siyu.cron", "siyu.reentry", "siyu.existing");

  /** The re-entry policy, as the entry key it gives an entry on a given day (or for an event). */
  public enum Reentry {
    ONCE, YEARLY, MONTHLY, DAILY, ALWAYS;

    /** The entry key: equal keys mean "the same entry", which the journey_entries unique key refuses twice. */
    public String entryKey(LocalDate day, String eventOrNonce) {
      return switch (this) {
        case ONCE -> "once";
        case YEARLY -> Integer.toString(day.getYear());
        case MONTHLY -> day.toString().substring(0, 7);
        case DAILY -> day.toString();
        case ALWAYS -> eventOrNonce;
      };
    }

    /**
     * The same key computed in SQL from a local timestamp, for scans that find many contacts at
     * once. A scan runs again and again on the same day, so "always" counts as once a day there.
     */
    public String sqlKey(String localTimestamp) {
      return switch (this) {
        case ONCE -> "'once'";
        case YEARLY -> "to_char(" + localTimestamp + ", 'YYYY')";
        case MONTHLY -> "to_char(" + localTimestamp + ", 'YYYY-MM')";
        case DAILY, ALWAYS -> "to_char(" + localTimestamp + ", 'YYYY-MM-DD')";
      };
    }
  }

  /**
   * Reads the trigger from the start event's properties, adding a problem for each bad one. An empty
   * property is one not given: the palette writes every field of the trigger, those left empty too.
   */
  static Trigger read(String startId, Map<String, String> properties, List<JsonObject> problems) {
    Map<String, String> p = new java.util.HashMap<>(properties);
    p.values().removeIf(String::isBlank);
    String type = p.get("siyu.trigger");
    if (type == null || !TYPES.contains(type)) {
      problems.add(problem(startId, "siyu.trigger must be one of " + TYPES + (type == null ? "" : ", not " + type)));
      type = "manual";
    }
    List<String> events = p.containsKey("siyu.event")
        ? List.of(p.get("siyu.event").split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList() : List.of();
    if (type.equals("event") && events.isEmpty()) {
      problems.add(problem(startId, "an event trigger needs siyu.event (the event type, e.g. member.registered)"));
    }
    JsonObject match = new JsonObject();
    if (p.containsKey("siyu.match")) {
      try {
        match = new JsonObject(p.get("siyu.match"));
      } catch (RuntimeException e) {
        problems.add(problem(startId, "siyu.match must be a JSON object, e.g. {\"to\":\"dormant\"}"));
      }
    }
    Long segment = null;
    if (p.containsKey("siyu.segment")) {
      try {
        segment = Long.parseLong(p.get("siyu.segment").trim());
      } catch (NumberFormatException e) {
        problems.add(problem(startId, "siyu.segment must be a saved segment id"));
      }
    }
    if ((type.equals("segment") || type.equals("schedule")) && segment == null) {
      problems.add(problem(startId, "a " + type + " trigger needs siyu.segment (a saved segment id)"));
    }
    int hour = 9;
    if (p.containsKey("siyu.hour")) {
      try {
        hour = Integer.parseInt(p.get("siyu.hour").trim());
      } catch (NumberFormatException e) {
        hour = -1;
      }
      if (hour < 0 || hour > 23) {
        problems.add(problem(startId, "siyu.hour must be a whole hour from 0 to 23"));
        hour = 9;
      }
    }
    String cron = p.get("siyu.cron");
    if (type.equals("schedule")) {
      if (cron == null || !org.quartz.CronExpression.isValidExpression(cron)) {
        problems.add(problem(startId, "a schedule trigger needs siyu.cron, a valid Quartz cron expression"));
      }
    }
    Reentry reentry = Reentry.ONCE;
    if (p.containsKey("siyu.reentry")) {
      try {
        reentry = Reentry.valueOf(p.get("siyu.reentry").trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(problem(startId, "siyu.reentry must be one of once, yearly, monthly, daily, always"));
      }
    }
    String existing = p.getOrDefault("siyu.existing", "skip").trim();
    if (!existing.equals("enter") && !existing.equals("skip")) {
      problems.add(problem(startId, "siyu.existing must be enter or skip"));
    }
    return new Trigger(type, events, match, segment, hour, cron, reentry, existing.equals("enter"));
  }

  static JsonObject problem(String element, String text) {
    return io.siyu.journey.check.ElementProblem.of(element, text);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("events", new JsonArray(events)).put("match", match)
        .put("segment_id", segmentId).put("hour", hour).put("cron", cron).put("enter_existing", enterExisting);
  }

  public static Trigger fromJson(JsonObject j, String reentry) {
    return new Trigger(j.getString("type"), j.getJsonArray("events", new JsonArray()).stream().map(String::valueOf).toList(),
        j.getJsonObject("match", new JsonObject()), j.getLong("segment_id"), j.getInteger("hour", 9), j.getString("cron"),
        Reentry.valueOf(reentry.toUpperCase(java.util.Locale.ROOT)), j.getBoolean("enter_existing", false));
  }

  /** Whether an event's properties carry every value {@code siyu.match} asks for. */
  public boolean matches(JsonObject properties) {
    return EventMatch.matches(match, properties);
  }
}
