package io.siyu.event;

import io.siyu.attribute.AttributeService;
import io.siyu.contact.ContactDefaults;
import io.siyu.contact.ContactService;
import io.siyu.db.GenericPlans;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.loyalty.growth.GrowthService;
import io.siyu.loyalty.lifecycle.LifecycleRules;
import io.siyu.loyalty.points.PointsEarning;
import io.siyu.loyalty.referral.ReferralService;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Member events: stored append-only, deduplicated by the sender's id, and folded into the
 * contact's aggregates in the same statement that stores them, so a replayed event can never
 * count a purchase twice.
 */
public final class EventService {
  public static final int MAX_BATCH = 1000;
  /** An event as the API shows it, in the order of its JSON: the sender's id is its {@code id}, Siyu's is {@code seq}. */
  static final String COLUMNS = "e.event_key AS id, e.id AS seq, e.contact_id, e.type, e.occurred_at, e.received_at, "
      + "e.amount, e.properties, e.source";

  /** Insert what is new, skip what was seen, and update aggregates from exactly what was inserted. */
  private static final String INSERT = "WITH input AS ("
      + "  SELECT t.event_key, t.contact_id, t.type, t.occurred_at::timestamptz AS occurred_at, "
      + "         t.amount::numeric AS amount, t.properties::jsonb AS properties, t.source "
      + "  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) "
      + "    AS t(event_key, contact_id, type, occurred_at, amount, properties, source)), "
      + "ins AS (INSERT INTO events AS e (event_key, contact_id, type, occurred_at, amount, properties, source) "
      + "  SELECT * FROM input ON CONFLICT (event_key) DO NOTHING RETURNING " + COLUMNS + "), "
      + "agg AS (SELECT contact_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at, "
      + "    max(occurred_at) FILTER (WHERE type = 'purchase') AS last_purchase, "
      + "    count(*) FILTER (WHERE type = 'purchase') AS purchases, "
      + "    coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0) AS spent "
      + "  FROM ins GROUP BY contact_id), "
      + "upd AS (UPDATE contacts c SET first_seen_at = least(c.first_seen_at, agg.first_at), "
      + "    last_interaction_at = greatest(c.last_interaction_at, agg.last_at), "
      + "    last_purchase_at = greatest(c.last_purchase_at, agg.last_purchase), "
      + "    purchase_count = c.purchase_count + agg.purchases, total_spent = c.total_spent + agg.spent, "
      + "    updated_at = now() "
      + "  FROM agg WHERE c.id = agg.contact_id) "
      + "SELECT * FROM ins";
  private static final String SELECT_BY_KEYS = "SELECT " + COLUMNS + " FROM events e WHERE e.event_key = ANY($1::text[])";
  private static final String SELECT_BY_KEY = "SELECT " + COLUMNS + " FROM events e WHERE e.event_key = $1";
  /** Followed by the page's conditions and order. */
  private static final String SELECT_WHERE = "SELECT " + COLUMNS + " FROM events e WHERE ";
  private static final String MISSING_CONTACTS = "SELECT array_agg(x) AS missing FROM unnest($1::bigint[]) x "
      + "WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = x)";
  private static final String LOCK_CONTACTS = "SELECT id FROM contacts WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE";

  private final Pool pool;
  private final ContactService contacts;
  private final AttributeService attributes;
  private final GrowthService growth;
  private final PointsEarning earning;
  private final ReferralService referrals;
  private final Settings settings;

  public EventService(Pool pool, ContactService contacts, AttributeService attributes, GrowthService growth,
      PointsEarning earning, ReferralService referrals, Settings settings) {
    this.pool = pool;
    this.contacts = contacts;
    this.attributes = attributes;
    this.growth = growth;
    this.earning = earning;
    this.referrals = referrals;
    this.settings = settings;
  }

  /**
   * What ingestion reads of the configuration: the contact defaults, the lifecycle rules that
   * restage a contact whose aggregates moved, and whether an unknown identity creates its contact
   * ({@code SIYU_EVENTS_UNKNOWN_CONTACT}).
   */
  public record Settings(ContactDefaults defaults, LifecycleRules lifecycle, boolean createUnknownContacts) {}

  /** One stored event and whether this request stored it or it had been stored before. */
  public record Stored(JsonObject event, boolean duplicate) {}

  /** Validates everything first: one bad event rejects the whole request and nothing is stored. */
  public Future<List<Stored>> ingest(List<Object> raw, boolean batch) {
    return attributes.catalog().compose(catalog -> {
      JsonArray errors = new JsonArray();
      List<EventInput> inputs = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        inputs.add(EventInput.parse(raw.get(i), batch ? "events[" + i + "]." : "", catalog,
            settings.defaults().countryCode(), errors));
      }
      if (!errors.isEmpty()) {
        return Future.failedFuture(Problem.invalid(errors));
      }
      // two batches may create the same new member at once: the loser retries and finds it
      return Rows.retryingRaces(() -> pool.withTransaction(conn -> GenericPlans.forThisTransaction(conn)
          .compose(v -> store(conn, inputs, batch))));
    });
  }

  private Future<List<Stored>> store(SqlConnection conn, List<EventInput> inputs, boolean batch) {
    List<String> keys = inputs.stream().map(EventInput::key).toList();
    return existing(conn, keys).compose(seen -> resolveContacts(conn, inputs, seen, batch)
        .compose(contactIds -> insert(conn, inputs, seen, contactIds)
            .compose(inserted -> restage(conn, inserted).map(inserted)))
        .compose(inserted -> originalsOfLostRaces(conn, keys, seen, inserted).map(all -> {
          // an id repeated within the batch is new only at its first occurrence
          java.util.Set<String> reported = new java.util.HashSet<>();
          List<Stored> out = new ArrayList<>();
          for (String k : keys) {
            out.add(new Stored(all.get(k), !inserted.containsKey(k) || !reported.add(k)));
          }
          return out;
        })));
  }

  /**
   * Every event of the request as stored: those seen before, those this request inserted, and —
   * read again only if there are any — those another request stored between our look and our insert.
   */
  private Future<Map<String, JsonObject>> originalsOfLostRaces(SqlConnection conn, List<String> keys,
      Map<String, JsonObject> seen, Map<String, JsonObject> inserted) {
    Map<String, JsonObject> all = new HashMap<>(seen);
    all.putAll(inserted);
    List<String> missing = keys.stream().filter(k -> !all.containsKey(k)).distinct().toList();
    if (missing.isEmpty()) {
      return Future.succeededFuture(all);
    }
    return existing(conn, missing).map(lost -> {
      all.putAll(lost);
      return all;
    });
  }

  /**
   * What newly stored events set in motion, in the same transaction so a replay (which stores
   * nothing) sets nothing in motion: points (priced at the tier the member had when the event
   * happened), referral links and rewards, growth value and tier upgrades (for the referral
   * events too), then the lifecycle stage the aggregates imply.
   */
  private Future<Void> restage(SqlConnection conn, Map<String, JsonObject> inserted) {
    if (inserted.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] eventIds = inserted.values().stream().map(e -> e.getLong("seq")).toArray(Long[]::new);
    Long[] ids = inserted.values().stream().map(e -> e.getLong("contact_id")).distinct().toArray(Long[]::new);
    SqlParams p = new SqlParams();
    String scope = "c.id = ANY(" + p.add(ids) + "::bigint[])";
    return earning.apply(conn, inserted.values())
        .compose(v -> referrals.apply(conn, inserted.values()))
        .compose(referralEvents -> growth.apply(conn, java.util.stream.Stream.concat(
            java.util.Arrays.stream(eventIds), java.util.Arrays.stream(referralEvents)).toArray(Long[]::new)))
        .compose(v -> settings.lifecycle().recompute(conn, scope, p))
        .mapEmpty();
  }

  private Future<Map<String, JsonObject>> existing(SqlConnection conn, List<String> keys) {
    return conn.preparedQuery(SELECT_BY_KEYS)
        .execute(Tuple.of(keys.toArray(String[]::new)))
        .map(rows -> {
          Map<String, JsonObject> map = new HashMap<>();
          rows.forEach(r -> map.put(r.getString("id"), RowJson.of(r)));
          return map;
        });
  }

  /**
   * Contact id per event index; events already stored need none (their replay must not create
   * contacts). Identities are resolved in sorted order: two batches creating the same new members
   * then take their index locks in the same order and queue up instead of deadlocking.
   */
  private Future<Map<Integer, Long>> resolveContacts(SqlConnection conn, List<EventInput> inputs,
      Map<String, JsonObject> seen, boolean batch) {
    Map<Integer, Long> ids = new HashMap<>();
    java.util.TreeMap<String, List<Integer>> byIdentity = new java.util.TreeMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      EventInput in = inputs.get(i);
      if (seen.containsKey(in.key())) {
        continue;
      }
      if (in.contactId() != null) {
        ids.put(i, in.contactId());
      } else {
        String identity = new JsonObject(new LinkedHashMap<>(in.contact().identities())).encode();
        byIdentity.computeIfAbsent(identity, k -> new ArrayList<>()).add(i);
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (List<Integer> indexes : byIdentity.values()) {
      int first = indexes.get(0);
      String field = (batch ? "events[" + first + "]." : "") + "contact";
      chain = chain.compose(v -> contacts.resolve(conn, inputs.get(first).contact(),
              settings.createUnknownContacts(), field))
          .map(id -> {
            indexes.forEach(i -> ids.put(i, id));
            return null;
          });
    }
    return chain.compose(v -> checkContactIds(conn, inputs, ids, batch)).map(ids);
  }

  /** Contact ids the sender named must exist; those resolved from identities do. */
  private Future<Void> checkContactIds(SqlConnection conn, List<EventInput> inputs, Map<Integer, Long> ids,
      boolean batch) {
    List<Long> wanted = ids.entrySet().stream().filter(e -> inputs.get(e.getKey()).contactId() != null)
        .map(Map.Entry::getValue).distinct().toList();
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(MISSING_CONTACTS)
        .execute(Tuple.of(wanted.toArray(Long[]::new)))
        .map(rows -> {
          Long[] missing = rows.iterator().next().getArrayOfLongs("missing");
          if (missing == null || missing.length == 0) {
            return null;
          }
          JsonArray errors = new JsonArray();
          List<Long> miss = List.of(missing);
          ids.forEach((i, id) -> {
            if (miss.contains(id)) {
              errors.add(Problem.fieldError((batch ? "events[" + i + "]." : "") + "contact_id", "names no contact"));
            }
          });
          throw Problem.invalid(errors);
        });
  }

  private Future<Map<String, JsonObject>> insert(SqlConnection conn, List<EventInput> inputs,
      Map<String, JsonObject> seen, Map<Integer, Long> contactIds) {
    List<String> keys = new ArrayList<>();
    List<Long> cids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> times = new ArrayList<>();
    List<String> amounts = new ArrayList<>();
    List<String> props = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      EventInput in = inputs.get(i);
      if (seen.containsKey(in.key()) || keys.contains(in.key())) {
        continue; // a batch may repeat an id: the first occurrence wins, like a replay would
      }
      keys.add(in.key());
      cids.add(contactIds.get(i));
      types.add(in.type());
      times.add(in.occurredAt().toString());
      amounts.add(in.amount() == null ? null : in.amount().toPlainString());
      props.add(in.properties().encode());
      sources.add(in.source());
    }
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    // lock the contacts whose aggregates change in id order, so two batches touching the same
    // contacts queue up instead of deadlocking; NO KEY UPDATE (aggregates are not keys) lets
    // transactions that only reference the contact, like a journey entering it, go on. One contact
    // needs no order: the insert's own update locks it.
    Long[] ordered = cids.stream().distinct().sorted().toArray(Long[]::new);
    Future<?> locked = ordered.length == 1 ? Future.succeededFuture()
        : conn.preparedQuery(LOCK_CONTACTS)
            .execute(Tuple.of(ordered));
    return locked.compose(v -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(keys.toArray(String[]::new), cids.toArray(Long[]::new), types.toArray(String[]::new),
            times.toArray(String[]::new), amounts.toArray(String[]::new), props.toArray(String[]::new),
            sources.toArray(String[]::new))))
        .map(rows -> {
          Map<String, JsonObject> map = new HashMap<>();
          rows.forEach(r -> map.put(r.getString("id"), RowJson.of(r)));
          return map;
        });
  }

  public Future<JsonObject> get(String key) {
    return pool.preparedQuery(SELECT_BY_KEY).execute(Tuple.of(key))
        .map(rows -> Rows.one(rows, "Event " + key, RowJson::of));
  }

  /**
   * Latest first by when they happened (an event sent late still takes its place in the member's
   * timeline), or by {@code seq}, the order Siyu stored them in.
   */
  public static final Sorts SORTS = Sorts.of("-occurred_at", Sorts.number("seq", "e.id"),
      Sorts.time("occurred_at", "e.occurred_at"));

  public Future<JsonObject> ofContact(long contactId, Page page) {
    return list(contactId, null, null, null, page);
  }

  /** A page of events in the page's order, optionally for one contact, one type, and a time window. */
  public Future<JsonObject> list(Long contactId, String type, OffsetDateTime since, OffsetDateTime until, Page page) {
    SqlParams p = new SqlParams();
    List<String> where = new ArrayList<>(List.of(page.after(p::add)));
    if (contactId != null) {
      where.add("e.contact_id = " + p.add(contactId));
    }
    if (type != null) {
      where.add("e.type = " + p.add(type));
    }
    if (since != null) {
      where.add("e.occurred_at >= " + p.add(since));
    }
    if (until != null) {
      where.add("e.occurred_at < " + p.add(until));
    }
    return pool.preparedQuery(SELECT_WHERE + String.join(" AND ", where)
            + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }
}
