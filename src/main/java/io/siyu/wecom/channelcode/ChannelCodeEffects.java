package io.siyu.wecom.channelcode;

import io.siyu.journey.JourneyFeature;
import io.siyu.journey.JourneyRegistry;
import io.siyu.tag.TagService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a customer added through a channel code gets: the code as the contact's source, its tags
 * (through {@link TagService}, so segments and tag history see them like any other tagging) and an
 * entry into its journey. Each step is idempotent: tags are added once, and the entry's key is the
 * one the journey inbox would give the same event, so a replay — or the journey also being
 * triggered by the event itself — enters the contact once.
 */
public final class ChannelCodeEffects {
  private static final Logger log = LoggerFactory.getLogger(ChannelCodeEffects.class);
  private static final String BY_STATE = "SELECT id, state FROM wecom_channel_codes WHERE state = ANY($1::text[])";
  private static final String TAGS = "SELECT array_agg(tag_id ORDER BY tag_id) AS tag_ids FROM wecom_channel_code_tags "
      + "WHERE code_id = $1";
  private static final String JOURNEY = "SELECT c.journey_key, ct.timezone FROM wecom_channel_codes c "
      + "JOIN contacts ct ON ct.id = $2 WHERE c.id = $1";

  private final Vertx vertx;
  private final Pool pool;
  private final TagService tags;
  private final Supplier<JourneyFeature> journeys;

  public ChannelCodeEffects(Vertx vertx, Pool pool, TagService tags, Supplier<JourneyFeature> journeys) {
    this.vertx = vertx;
    this.pool = pool;
    this.tags = tags;
    this.journeys = journeys;
  }

  /** The source of a contact the code brought, and the actor of what the code does to it. */
  public static String source(long codeId) {
    return "channel_code:" + codeId;
  }

  /** The codes whose {@code state}s adds carry, by state; a state Siyu did not make names none. */
  public Future<Map<String, Long>> idsByState(SqlClient conn, Collection<String> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return conn.preparedQuery(BY_STATE).execute(Tuple.of(states.stream().distinct().toArray(String[]::new)))
        .map(rows -> {
          Map<String, Long> ids = new HashMap<>();
          rows.forEach(r -> ids.put(r.getString("state"), r.getLong("id")));
          return ids;
        });
  }

  /** Puts the code's tags on the contact (none: nothing to do). */
  public Future<Void> tag(long codeId, long contactId) {
    return pool.preparedQuery(TAGS).execute(Tuple.of(codeId)).compose(rows -> {
      Long[] ids = rows.iterator().next().getArrayOfLongs("tag_ids");
      if (ids == null || ids.length == 0) {
        return Future.succeededFuture();
      }
      return tags.tagContact(contactId, new JsonObject().put("tag_ids", new JsonArray(Arrays.asList(ids))),
          source(codeId)).mapEmpty();
    });
  }

  /**
   * Enters the contact into the code's journey, with {@code event} (as event ingestion stored it) as
   * the triggering event, so the journey's steps see its properties (a welcome message its
   * {@code welcome_code}). A journey that is gone or paused takes no one; that is logged.
   */
  public Future<Void> enterJourney(long codeId, long contactId, JsonObject event) {
    return pool.preparedQuery(JOURNEY).execute(Tuple.of(codeId, contactId)).compose(rows -> {
      Row r = rows.size() == 0 ? null : rows.iterator().next();
      if (r == null || r.getString("journey_key") == null) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> enter(codeId, contactId, r.getString("journey_key"), r.getString("timezone"),
          event), false).mapEmpty();
    });
  }

  /** Blocking (the engine). */
  private Void enter(long codeId, long contactId, String journeyKey, String timezone, JsonObject event) {
    JourneyFeature feature = journeys.get();
    if (feature == null) {
      throw new IllegalStateException("journeys are not started yet");
    }
    JourneyRegistry.Entry journey = feature.registry().get(journeyKey);
    if (journey == null || !journey.active()) {
      log.warn("Channel code {}: journey {} is {}, contact {} enters nothing", codeId, journeyKey,
          journey == null ? "not deployed" : "paused", contactId);
      return null;
    }
    // the same key the journey inbox gives an entry for this event (see JourneyInbox)
    LocalDate today = ClockUtil.getCurrentTime().toInstant().atZone(io.siyu.locale.TimeZones.of(timezone)).toLocalDate();
    String entryKey = journey.trigger().reentry().entryKey(today, "event:" + event.getString("id"));
    feature.entries().enter(journey, contactId, entryKey, source(codeId),
        Map.of("triggerEvent", event.getJsonObject("properties").encode(), "triggerEventId", event.getLong("seq")));
    return null;
  }
}
