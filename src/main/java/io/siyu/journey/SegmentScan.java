package io.siyu.journey;

import io.siyu.db.SqlParams;
import io.siyu.journey.step.EngineSql;
import io.siyu.segment.SegmentService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment entry: a contact newly matching a journey's saved segment enters it. Each scan compares
 * the segment with the snapshot the last scan left (journey_segment_members) in one transaction:
 * leavers are removed (a later return counts as new), newcomers are added as pending. Pending
 * members then enter, and each entry clears its pending mark in the engine's transaction, so a
 * scan that dies half way leaves the rest for the next one and nobody enters twice.
 *
 * <p>The first scan of a journey (or of a new segment for it) takes a baseline: the members at
 * that moment enter only when the journey says {@code siyu.existing = enter}. While a journey is
 * paused the snapshot keeps up, but newcomers are not marked pending: they joined while it took
 * no entries.
 */
public final class SegmentScan {
  private static final String ENTERED = "UPDATE journey_segment_members SET pending = false WHERE journey_key = $1 "
      + "AND contact_id = $2";
  private static final String LOCK_BASELINE = "SELECT segment_id FROM journey_segment_baselines WHERE journey_key = $1 "
      + "FOR UPDATE";
  private static final String FORGET_MEMBERS = "DELETE FROM journey_segment_members WHERE journey_key = $1";
  private static final String TAKE_BASELINE = "INSERT INTO journey_segment_baselines (journey_key, segment_id) "
      + "VALUES ($1, $2) ON CONFLICT (journey_key) DO UPDATE SET segment_id = EXCLUDED.segment_id, taken_at = now()";
  /** Members no longer in the segment; {@code %s} is the segment's condition over {@code contacts c}. */
  private static final String LEAVERS_OUT = "DELETE FROM journey_segment_members m WHERE m.journey_key = $1 AND NOT EXISTS "
      + "(SELECT 1 FROM contacts c WHERE c.id = m.contact_id AND (%s))";
  /** Contacts now in the segment; {@code %s} is its condition over {@code contacts c}. */
  private static final String NEWCOMERS_IN = "INSERT INTO journey_segment_members (journey_key, contact_id, pending) "
      + "SELECT $1, c.id, $2 FROM contacts c WHERE (%s) ON CONFLICT DO NOTHING";
  /** Pending members; {@code %s} is the entry key's expression. */
  private static final String PENDING = "SELECT m.contact_id, %s AS entry_key FROM journey_segment_members m "
      + "JOIN contacts c ON c.id = m.contact_id WHERE m.journey_key = $1 AND m.pending AND $2::timestamptz IS NOT NULL "
      + "ORDER BY m.contact_id";

  private final Pool pool;
  private final SegmentService segments;
  private final JourneyRegistry registry;
  private final JourneyEntries entries;

  SegmentScan(Pool pool, SegmentService segments, JourneyRegistry registry, JourneyEntries entries) {
    this.pool = pool;
    this.segments = segments;
    this.registry = registry;
    this.entries = entries;
  }

  /** Blocking (Quartz thread): scans every segment journey, active or paused. */
  public JsonObject run(Instant now) {
    JsonArray journeys = new JsonArray();
    for (JourneyRegistry.Entry journey : registry.all()) {
      if (journey.trigger().type().equals("segment") && journey.trigger().segmentId() != null) {
        journeys.add(scan(journey, now));
      }
    }
    return new JsonObject().put("journeys", journeys);
  }

  private JsonObject scan(JourneyRegistry.Entry journey, Instant now) {
    JsonObject changes = io.siyu.async.Blocking.await(compare(journey));
    if (!journey.active()) {
      return changes.put("journey", journey.key()).put("entered", 0);
    }
    List<JourneyEntries.Candidate> pending = io.siyu.async.Blocking.await(pending(journey, now));
    JourneyEntries.Counts counts = entries.enterMany(journey, pending, "segment", c -> EngineSql.update(ENTERED, journey.key(), c.contactId()));
    return changes.mergeIn(counts.toJson()).put("journey", journey.key()).put("pending", pending.size());
  }

  /** One transaction: a baseline when there is none for this segment, else leavers out and newcomers in. */
  private Future<JsonObject> compare(JourneyRegistry.Entry journey) {
    long segmentId = journey.trigger().segmentId();
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_BASELINE)
        .execute(Tuple.of(journey.key())).compose(rows -> {
          boolean baseline = rows.size() == 0 || rows.iterator().next().getLong("segment_id") != segmentId;
          boolean pending = baseline ? journey.trigger().enterExisting() && journey.active() : journey.active();
          Future<Integer> left = baseline
              ? conn.preparedQuery(FORGET_MEMBERS)
                  .execute(Tuple.of(journey.key())).map(r -> 0)
                  .compose(v -> conn.preparedQuery(TAKE_BASELINE)
                      .execute(Tuple.of(journey.key(), segmentId)).map(r -> 0))
              : leave(conn, journey.key(), segmentId);
          return left.compose(l -> join(conn, journey.key(), segmentId, pending)
              .map(j -> new JsonObject().put("baseline", baseline).put("left", l).put("joined", j)));
        }));
  }

  private Future<Integer> leave(io.vertx.sqlclient.SqlConnection conn, String journey, long segmentId) {
    SqlParams p = SqlParams.startingWith(journey);
    return segments.condition(segmentId, p).compose(cond -> conn.preparedQuery(String.format(LEAVERS_OUT, cond))
        .execute(p.tuple())).map(r -> r.rowCount());
  }

  private Future<Integer> join(io.vertx.sqlclient.SqlConnection conn, String journey, long segmentId, boolean pending) {
    SqlParams p = SqlParams.startingWith(journey, pending);
    return segments.condition(segmentId, p).compose(cond -> conn.preparedQuery(String.format(NEWCOMERS_IN, cond))
        .execute(p.tuple())).map(r -> r.rowCount());
  }

  /** Pending members with the entry key the journey's re-entry policy gives them today, in their zone. */
  private Future<List<JourneyEntries.Candidate>> pending(JourneyRegistry.Entry journey, Instant now) {
    String key = journey.trigger().reentry() == Trigger.Reentry.ALWAYS
        ? "'segment:' || (extract(epoch FROM m.joined_at) * 1000000)::bigint" // each return is a new entry
        : journey.trigger().reentry().sqlKey("($2::timestamptz AT TIME ZONE c.timezone)");
    return pool.preparedQuery(String.format(PENDING, key))
        .execute(Tuple.of(journey.key(), now.atOffset(ZoneOffset.UTC))).map(rows -> {
          List<JourneyEntries.Candidate> out = new ArrayList<>();
          rows.forEach(r -> out.add(new JourneyEntries.Candidate(r.getLong("contact_id"), r.getString("entry_key"))));
          return out;
        });
  }
}
