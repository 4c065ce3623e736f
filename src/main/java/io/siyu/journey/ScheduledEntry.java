package io.siyu.journey;

import io.siyu.db.SqlParams;
import io.siyu.segment.SegmentService;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Schedule entry: when a journey's cron ({@code siyu.cron}) fires, its segment's members enter. The
 * entry key comes from the re-entry policy on the member's local day, or from the firing itself
 * for "always" — so a firing run twice (a recovered job, a second server) enters nobody twice,
 * and members who entered under the policy before are skipped in SQL.
 */
public final class ScheduledEntry {
  /**
   * The segment's contacts not yet entered with this firing's entry key: {@code %1$s} is the entry
   * key's expression, {@code %2$s} the segment's condition over {@code contacts c}.
   */
  private static final String AUDIENCE = "SELECT c.id, %1$s AS entry_key FROM contacts c WHERE (%2$s) AND NOT EXISTS "
      + "(SELECT 1 FROM journey_entries e WHERE e.journey_key = $1 AND e.contact_id = c.id AND e.entry_key = %1$s) "
      + "ORDER BY c.id";

  private final Pool pool;
  private final SegmentService segments;
  private final JourneyRegistry registry;
  private final JourneyEntries entries;

  ScheduledEntry(Pool pool, SegmentService segments, JourneyRegistry registry, JourneyEntries entries) {
    this.pool = pool;
    this.segments = segments;
    this.registry = registry;
    this.entries = entries;
  }

  /** Blocking (Quartz thread): the firing at {@code firing} of journey {@code key}'s schedule. */
  public JsonObject run(String key, Instant firing) {
    JourneyRegistry.Entry journey = registry.get(key);
    if (journey == null || !journey.active() || !journey.trigger().type().equals("schedule")) {
      return new JsonObject().put("journey", key).put("skipped", journey == null ? "no such journey"
          : !journey.active() ? "paused" : "no longer a scheduled journey");
    }
    List<JourneyEntries.Candidate> audience = io.siyu.async.Blocking.await(audience(journey, firing));
    JourneyEntries.Counts counts = entries.enterMany(journey, audience, "schedule", c -> { });
    return counts.toJson().put("journey", key).put("audience", audience.size()).put("firing", firing.toString());
  }

  private io.vertx.core.Future<List<JourneyEntries.Candidate>> audience(JourneyRegistry.Entry journey, Instant firing) {
    SqlParams p = SqlParams.startingWith(journey.key());
    String key = journey.trigger().reentry() == Trigger.Reentry.ALWAYS
        ? p.add("schedule:" + firing) + "::text"
        : journey.trigger().reentry().sqlKey("(" + p.add(firing.atOffset(ZoneOffset.UTC)) + "::timestamptz AT TIME ZONE c.timezone)");
    return segments.condition(journey.trigger().segmentId(), p)
        .compose(cond -> pool.preparedQuery(String.format(AUDIENCE, key, cond)).execute(p.tuple())).map(rows -> {
          List<JourneyEntries.Candidate> out = new ArrayList<>();
          rows.forEach(r -> out.add(new JourneyEntries.Candidate(r.getLong("id"), r.getString("entry_key"))));
          return out;
        });
  }
}
