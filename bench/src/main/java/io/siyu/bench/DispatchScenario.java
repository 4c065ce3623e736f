package io.siyu.bench;

import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Sql.timedSql;
import static io.siyu.bench.Stats.median;

import io.siyu.bench.PlainClient.HeldTouch;
import io.siyu.bench.Rounds.Round;
import io.siyu.bench.Rounds.Side;
import io.siyu.bench.Sql.Counters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Scenario {@code dispatch}: how fast the outbox dispatcher empties a backlog with the sending
 * policy on, against a plain Vert.x web client posting the same signed bodies with as many in
 * flight. Goal: Siyu touches/s ≥ 0.5 × the plain client's.
 */
final class DispatchScenario {
  static final double GOAL = 0.5;
  /** Where the scenario's contacts come from, and the journey its touches name. */
  static final String SOURCE = "bench-dispatch";
  static final String JOURNEY = "bench_dispatch";

  private final JourneyBench.Options opts;
  private final JourneyBench.Report report;
  private final Rounds rounds;
  private final Connection db;
  private final Sink sink;
  private final PlainClient plain;

  DispatchScenario(JourneyBench.Options opts, JourneyBench.Report report, Rounds rounds, Connection db, Sink sink,
      PlainClient plain) {
    this.opts = opts;
    this.report = report;
    this.rounds = rounds;
    this.db = db;
    this.sink = sink;
    this.plain = plain;
  }

  /**
   * The server's settings for this scenario: nothing but the harness's touches in the outbox, and
   * the sending policy on, so every touch pays for it.
   */
  static Map<String, String> serverEnv(JourneyBench.Options opts, Path work) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    // no journeys: the shipped ones would deploy from bpmn/ and could write touches of their own
    env.put("SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("no-journeys")).toString());
    // consent is looked up for every touch: webhook marketing needs consent.webhook = true
    env.put("SIYU_CONSENT_REQUIRED", "sms,email,webhook");
    // every touch takes a place in contact_send_days (one statement each) before it is sent
    env.put("SIYU_FREQUENCY_CAP", opts.cap);
    // the run must not depend on the hour: with quiet hours a run in the evening in Shanghai
    // would only defer every touch to the morning
    env.put("SIYU_QUIET_HOURS", "none");
    // the server's default, set here so the plain client is sure to get the same
    env.put("SIYU_OUTBOX_CONCURRENCY", Integer.toString(opts.concurrency));
    return env;
  }

  /** The touches of the current batch, as the plain client posts them (read back after they were queued). */
  private List<HeldTouch> held;
  /** Per batch, the bodies the first of its two parts posted (bytes and digest): the second must post the same. */
  private final Map<Integer, List<Long>> bodiesByBatch = new HashMap<>();

  /**
   * N contacts loaded once; each round queues one marketing webhook touch per contact, held back,
   * then Siyu's part releases them all at once and the plain client's part posts the same bodies.
   */
  void run() throws Exception {
    log("");
    log("== dispatch: %,d queued webhook touches released at once (consent checked, frequency cap %s), until all are "
        + "sent to the sink, vs a plain Vert.x web client posting the same bodies; %d in flight on both sides",
        opts.touches, opts.cap, opts.concurrency);
    report.loadSeconds = loadDispatchContacts(db, opts.touches);
    checkPolicyIsOn(db, opts.capped());
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = rounds.round(db, "dispatch", r, "plain client", batch -> held = queueHeldTouches(db, batch),
          batch -> siyuDispatch(batch), batch -> plainDispatch(batch));
      log("dispatch %s: Siyu %,.0f touches/s, plain client %,.0f touches/s, ratio %.2f%s", rounds.name(r),
          opts.touches / round.siyu().seconds(), opts.touches / round.bare().seconds(), JourneyBench.Report.rateRatio(round),
          r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.dispatch.add(round);
      }
    }
    log("dispatch: median ratio %.2f (goal >= %.1f)", JourneyBench.Report.medianRate(report.dispatch), GOAL);
  }

  /**
   * N contacts (untimed setup) who said yes to webhook marketing, in the default time zone, each
   * with one marketing touch counted three days ago: contact_send_days then holds a week's history,
   * as it does in production, and the cap's week count finds a row (1 of 5). Its statistics say so
   * too; an empty table's would plan the cap statement for an empty table.
   */
  static double loadDispatchContacts(Connection db, int n) throws SQLException {
    long t0 = System.nanoTime();
    timedSql(db, "INSERT INTO contacts (mobile, name, source, consent) "
        + "SELECT '+86127' || lpad(i::text, 8, '0'), 'bench ' || i, '" + SOURCE + "', '{\"webhook\": true}' "
        + "FROM generate_series(0, " + (n - 1) + ") i", "contacts with consent to webhook marketing");
    timedSql(db, "INSERT INTO contact_send_days (contact_id, day, sent) SELECT id, (now() AT TIME ZONE timezone)::date - 3, 1 "
        + "FROM contacts WHERE source = '" + SOURCE + "'", "touches counted three days ago");
    timedSql(db, "VACUUM (ANALYZE) contacts, contact_send_days", "vacuumed and analyzed");
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The cap places the rounds took: every count newer than the history loaded with the contacts. */
  static final String ROUND_CAP_PLACES = "FROM contact_send_days WHERE day > (SELECT min(day) FROM contact_send_days)";

  /**
   * Untimed, once: the server really applies the policy measured here. A touch to a contact
   * without webhook consent must be suppressed, one to a contact who already had 2 touches
   * today must be deferred by the cap (sent, with {@code --cap none}). Both are deleted afterwards.
   */
  static void checkPolicyIsOn(Connection db, boolean capped) throws Exception {
    try (Statement st = db.createStatement()) {
      st.execute("INSERT INTO contacts (name, source, consent) VALUES "
          + "('no consent', 'bench-check', '{}'), ('at the cap', 'bench-check', '{\"webhook\": true}')");
      st.execute("INSERT INTO contact_send_days (contact_id, day, sent) SELECT id, (now() AT TIME ZONE timezone)::date, 2 "
          + "FROM contacts WHERE source = 'bench-check' AND name = 'at the cap'");
      st.execute("WITH t AS (INSERT INTO touches (touch_key, contact_id, channel, requested_channel, template_key, kind, status) "
          + "SELECT 'check:' || name, id, 'webhook', 'webhook', 'offer', 'marketing', 'queued' FROM contacts WHERE source = 'bench-check' "
          + "RETURNING id, priority) INSERT INTO touch_queue (touch_id, priority) SELECT id, priority FROM t");
    }
    // each touch's result: the history row after its claim ('sending')
    String outcome = "SELECT count(*) || ' ' || string_agg(t.touch_key || ' ' || h.detail, '; ' ORDER BY t.touch_key) "
        + "FROM touches t JOIN touch_history h ON h.touch_id = t.id WHERE t.touch_key LIKE 'check:%' AND h.status <> 'sending'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String seen = scalar(db, outcome);
    while ((seen == null || !seen.startsWith("2 ")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      seen = scalar(db, outcome);
    }
    boolean consentChecked = seen != null && seen.contains("check:no consent suppressed: no channel reaches the contact");
    boolean capChecked = seen != null && (capped
        ? seen.contains("check:at the cap deferred until") && seen.contains("frequency cap reached")
        : seen.contains("check:at the cap HTTP 200"));
    if (!consentChecked || !capChecked) {
      throw new BenchFailure("the server does not apply consent and the frequency cap as configured: " + seen);
    }
    try (Statement st = db.createStatement()) {
      st.execute("DELETE FROM contacts WHERE source = 'bench-check'"); // touches, history, send days cascade
    }
    log("policy check: %s", seen.substring(seen.indexOf(' ') + 1));
  }

  /**
   * Untimed, before both parts of an attempt: the places earlier rounds took are given back (so
   * each touch takes a fresh place, as on a contact's first touch of the day, over the history of
   * three days ago), and one touch per contact is
   * queued in one transaction, due (in the outbox queue) a day ahead, so the dispatcher sends nothing
   * until Siyu's part releases them. The payload is what a purchase-triggered journey step writes:
   * kind, entry key and the triggering event's properties. Then VACUUM, so dead rows of earlier
   * rounds and unset hint bits do not land in the timed part.
   */
  static List<HeldTouch> queueHeldTouches(Connection db, int batch) throws SQLException {
    timedSql(db, "DELETE " + ROUND_CAP_PLACES, "cap places of earlier rounds given back");
    timedSql(db, "WITH queued AS (INSERT INTO touches (touch_key, contact_id, journey_key, process_instance_id, "
        + "activity_id, channel, requested_channel, template_key, payload, kind, status, next_attempt_at) "
        + "SELECT '" + dispatchKeyPrefix(batch) + "' || c.id, c.id, '" + JOURNEY + "', "
        + "md5('" + batch + ":' || c.id)::uuid::text, 'send_offer', 'webhook', 'webhook', 'double11_offer', "
        + "jsonb_build_object('kind', 'marketing', 'entry_key', 'event:order-' || c.id, 'trigger', jsonb_build_object("
        + "  'order_id', 'SO2026' || lpad(c.id::text, 10, '0'), 'sku', 'SKU-' || (c.id % 997), "
        + "  'category', (ARRAY['beauty', 'coffee', 'apparel', 'home'])[c.id % 4 + 1], 'store', '上海南京西路旗舰店', "
        + "  'amount', ((c.id % 50000) / 100.0)::numeric(10, 2), 'items', 1 + c.id % 3, 'channel', 'miniprogram', "
        + "  'campaign', '双十一返场', 'coupon', 'CP' || upper(substr(md5(c.id::text), 1, 12)))), "
        + "'marketing', 'queued', now() + interval '1 day' "
        + "FROM contacts c WHERE c.source = '" + SOURCE + "' RETURNING id, priority, next_attempt_at), "
        + "queue AS (INSERT INTO touch_queue (touch_id, priority, due_at) SELECT id, priority, next_attempt_at FROM queued) "
        + "INSERT INTO touch_history (touch_id, status, detail) SELECT id, 'queued', 'enqueued' FROM queued",
        "touches queued, held for a day");
    timedSql(db, "VACUUM (ANALYZE) touches, touch_queue, touch_history, contact_send_days", "vacuumed and analyzed");
    List<HeldTouch> touches = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT touch_key, contact_id, channel, "
        + "template_key, payload::text, journey_key, activity_id FROM touches WHERE status = 'queued'")) {
      while (rs.next()) {
        touches.add(new HeldTouch(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)));
      }
    }
    return touches;
  }

  /** How the touch keys of batch b begin (the contact's id follows): fresh keys for every attempt of a round. */
  static String dispatchKeyPrefix(int batch) {
    return "dispatch:" + batch + ":";
  }

  /**
   * One Siyu part: every held touch released in one UPDATE; timed from its commit until the sink
   * has every touch and every touch is recorded sent. Then checked: each sent once, on its first
   * attempt, with a cap place taken, nothing deferred or suppressed, every signature good.
   */
  private Side siyuDispatch(int batch) throws Exception {
    Sink.Keys keys = sink.expectKeys(opts.touches);
    long r0 = System.nanoTime();
    int released;
    try (Statement st = db.createStatement()) {
      released = st.executeUpdate("UPDATE touch_queue SET due_at = now()");
    }
    long t0 = System.nanoTime();
    Instant wall = Instant.now();
    if (released != opts.touches) {
      throw new BenchFailure("released " + released + " queued touches, expected " + opts.touches);
    }
    Counters before = Counters.read(db, "postgres");
    awaitSink(keys, t0, "Siyu", () -> dispatchState(db));
    int polls = awaitRecorded(db);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    Counters used = Counters.read(db, "postgres").minus(before).lessCommits(polls);
    checkDispatched(db, keys, batch);
    checkSameBodies(batch, keys, "Siyu");
    String detail = String.format(Locale.ROOT, "released in %.2f s (one UPDATE, not timed); %s; %s",
        (t0 - r0) / 1e9, dispatchStages(db, keys, batch, wall, seconds), used.per(opts.touches, "touch"));
    log("  Siyu: %,d touches sent in %.2f s = %,.0f touches/s; %s", opts.touches, seconds, opts.touches / seconds, detail);
    return new Side(seconds, detail);
  }

  /** One plain part: the same bodies posted by the plain client, timed until every one is answered. */
  private Side plainDispatch(int batch) throws Exception {
    Sink.Keys keys = sink.expectKeys(opts.touches);
    long t0 = System.nanoTime();
    int refused = plain.postAll(held);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (refused > 0) {
      throw new BenchFailure("the plain client's part: " + refused + " calls failed or were answered other than 2xx");
    }
    awaitSink(keys, t0, "plain client", () -> "yet every call was answered 2xx");
    String problem = keys.problems(dispatchKeyPrefix(batch));
    if (problem != null) {
      throw new BenchFailure("the plain client's part: " + problem);
    }
    checkSameBodies(batch, keys, "the plain client");
    String detail = String.format(Locale.ROOT, "%,d bodies (%.0f bytes on average) posted, each answered 200 once",
        opts.touches, (double) keys.bytes() / opts.touches);
    log("  plain client: %,d touches posted in %.2f s = %,.0f touches/s; %s", opts.touches, seconds, opts.touches / seconds, detail);
    return new Side(seconds, detail);
  }

  /** Until the sink has every key; fails when none arrived for a minute (a touch deferred, suppressed or dead never does). */
  static void awaitSink(Sink.Keys keys, long t0, String who, Callable<String> state) throws Exception {
    int last = -1;
    long lastChange = System.nanoTime();
    while (!keys.await(5, TimeUnit.SECONDS)) {
      int now = keys.distinct();
      log("  %s: %,d of %,d touches at the sink after %.0f s", who, now, keys.expected(), (System.nanoTime() - t0) / 1e9);
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(60)) {
        throw new BenchFailure(who + ": no touch reached the sink for 60 s, " + now + " of " + keys.expected()
            + " there; " + state.call());
      }
    }
  }

  /**
   * After the sink has them all: until no touch is queued or sending (their results are recorded
   * just after the answers), polling the outbox queue every 20 ms. Answers the polls.
   */
  static int awaitRecorded(Connection db) throws Exception {
    String open = "SELECT count(*) FROM touch_queue";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int polls = 1;
    while (!scalar(db, open).equals("0")) {
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the sink has every touch, but some were not recorded sent within 60 s: " + dispatchState(db));
      }
      Thread.sleep(20);
      polls++;
    }
    return polls;
  }

  /** For a part that did not finish or check out: the outbox by status, and the last error. */
  static String dispatchState(Connection db) {
    try {
      return scalar(db, "SELECT json_build_object("
          + "'touches', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM touches GROUP BY status) s), "
          + "'deferred', (SELECT count(*) FROM touch_history WHERE detail LIKE 'deferred%'), "
          + "'last_error', (SELECT last_error FROM touches WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1))::text");
    } catch (SQLException e) {
      return "(state unknown: " + e.getMessage() + ")";
    }
  }

  /**
   * Every touch of the batch sent exactly once: status sent on attempt 1 on its own channel, no
   * history rows but queued and the attempt's sent (a deferral, suppression or retry adds rows), one cap
   * place per touch, and at the sink each key once with a good signature.
   */
  void checkDispatched(Connection db, Sink.Keys keys, int batch) throws SQLException {
    String problem = keys.problems(dispatchKeyPrefix(batch));
    if (problem != null) {
      throw new BenchFailure("Siyu's part at the sink: " + problem);
    }
    try (PreparedStatement st = db.prepareStatement("SELECT count(*), "
        + "count(*) FILTER (WHERE status = 'sent' AND attempts = 1 AND channel = 'webhook'), "
        + "(SELECT count(*) FROM touch_history h JOIN touches x ON x.id = h.touch_id WHERE x.touch_key LIKE ?), "
        + "(SELECT coalesce(sum(sent), 0) " + ROUND_CAP_PLACES + ") FROM touches WHERE touch_key LIKE ?")) {
      String like = dispatchKeyPrefix(batch) + "%";
      st.setString(1, like);
      st.setString(2, like);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long n = opts.touches;
        if (rs.getLong(1) != n || rs.getLong(2) != n || rs.getLong(3) != 2 * n || rs.getLong(4) != (opts.capped() ? n : 0)) {
          throw new BenchFailure(String.format(Locale.ROOT, "expected %d touches, all sent on attempt 1 with 2 history "
              + "rows each and a cap place each; found %d touches, %d sent so, %d history rows, %d cap places; %s",
              n, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), dispatchState(db)));
        }
      }
    }
  }

  /** The two parts of a batch must post the same bodies (the same bytes, whatever the order). */
  void checkSameBodies(int batch, Sink.Keys keys, String who) {
    List<Long> mine = List.of(keys.bytes(), keys.digest());
    List<Long> first = bodiesByBatch.putIfAbsent(batch, mine);
    if (first != null && !first.equals(mine)) {
      throw new BenchFailure(who + " posted other bodies than the other side of the round: " + first + " vs " + mine
          + " (bytes, CRC32 sum)");
    }
  }

  /**
   * Where Siyu's time went, from its own timestamps (each touch's 'sent' history row carries the
   * claim's transaction start as started_at, and the record's as at) and the sink's arrival times: how
   * many claims and records there were and how many touches each took, per-touch medians of
   * claim → at the sink (the plan with its cap places, the wait for a send slot, signing, the POST)
   * and at the sink → recorded (the answer and the wait for a record), and how many touches were
   * held between claim and record on average (claim → recorded summed over the touches, over the
   * part's time: the sends in flight plus the claimed touches waiting for a slot).
   */
  String dispatchStages(Connection db, Sink.Keys keys, int batch, Instant released, double seconds) throws SQLException {
    Set<Double> claims = new HashSet<>();
    Set<Double> records = new HashSet<>();
    List<Double> toSink = new ArrayList<>();
    List<Double> toRecord = new ArrayList<>();
    double busy = 0;
    double first = Double.MAX_VALUE;
    double last = 0;
    try (PreparedStatement st = db.prepareStatement("SELECT t.touch_key, extract(epoch FROM s.started_at), "
        + "extract(epoch FROM s.at) FROM touches t "
        + "JOIN touch_history s ON s.touch_id = t.id AND s.status = 'sent' WHERE t.touch_key LIKE ?")) {
      st.setString(1, dispatchKeyPrefix(batch) + "%");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          double claimed = rs.getDouble(2);
          double sent = rs.getDouble(3);
          double arrived = keys.arrivedSeconds(rs.getString(1));
          claims.add(claimed);
          records.add(sent);
          toSink.add((arrived - claimed) * 1000);
          toRecord.add((sent - arrived) * 1000);
          busy += sent - claimed;
          first = Math.min(first, claimed);
          last = Math.max(last, sent);
        }
      }
    }
    double origin = released.toEpochMilli() / 1e3;
    return String.format(Locale.ROOT, "first claim at +%.2f s, last recorded at +%.2f s; %,d claims (%.1f touches each), "
        + "%,d records (%.1f each); median claim→sink %.1f ms, sink→recorded %.1f ms; %.1f touches held between claim "
        + "and record on average (%d send slots)",
        first - origin, last - origin, claims.size(), (double) opts.touches / claims.size(), records.size(),
        (double) opts.touches / records.size(), median(toSink), median(toRecord), busy / seconds, opts.concurrency);
  }
}
