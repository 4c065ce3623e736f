package io.siyu.bench;

import static io.siyu.bench.Out.json;
import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.scalar;

import io.siyu.bench.Rounds.Round;
import io.siyu.bench.Rounds.Side;
import io.siyu.bench.Sql.Counters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario {@code welcome}: N contacts through the welcome journey with its waits at zero, from
 * the event to the fourth touch at the sink, against the bare engine running the same BPMN until
 * every instance has ended. Goal: Siyu instances/s ≥ 0.7 × the bare engine's.
 */
final class WelcomeScenario {
  static final double GOAL = 0.7;
  /** The welcome journey's four touches: a contact is through when the sink has all of them. */
  static final List<String> TEMPLATES = List.of("welcome", "welcome_day1", "welcome_day3", "welcome_day7");

  private final JourneyBench.Options opts;
  private final JourneyBench.Report report;
  private final Rounds rounds;
  private final Api api;
  private final Connection db;
  private final BareEngine bare;
  private final Sink sink;

  WelcomeScenario(JourneyBench.Options opts, JourneyBench.Report report, Rounds rounds, Api api, Connection db,
      BareEngine bare, Sink sink) {
    this.opts = opts;
    this.report = report;
    this.rounds = rounds;
    this.api = api;
    this.db = db;
    this.bare = bare;
    this.sink = sink;
  }

  /**
   * Every attempt of a round takes N fresh contacts (batch b's mobiles and event ids are its own),
   * so the welcome's "once" policy never skips anyone.
   */
  void run(String welcomeXml) throws Exception {
    log("");
    log("== welcome: %,d contacts through the welcome journey (waits zero, send window always open), "
        + "event to 4 touches delivered, vs the bare engine", opts.contacts);
    bare.deploy("welcome", Journeys.completed(welcomeXml));
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = rounds.round(db, "welcome", r, "bare engine", batch -> { },
          batch -> siyuWelcome(batch), batch -> bareWelcome(batch));
      log("welcome %s: Siyu %.1f instances/s, bare %.1f instances/s, ratio %.2f%s", rounds.name(r),
          opts.contacts / round.siyu().seconds(), opts.contacts / round.bare().seconds(), JourneyBench.Report.rateRatio(round),
          r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.welcome.add(round);
      }
    }
    log("welcome: median ratio %.2f (goal >= %.1f)", report.welcomeRatio(), GOAL);
  }

  /** One Siyu part: N member.registered events posted concurrently, until the sink holds every contact's 4 touches. */
  private Side siyuWelcome(int batch) throws Exception {
    Counters before = Counters.read(db, "postgres");
    sink.expect(opts.contacts);
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    Parallel.run(opts.contacts, opts.threads, i -> {
      api.post("/api/v1/events", welcomeEvent(batch, i), 201);
      return null;
    });
    double posted = (System.nanoTime() - t0) / 1e9;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120 + opts.contacts / 4);
    while (!sink.await(5, TimeUnit.SECONDS)) {
      log("  Siyu: %,d of %,d contacts have all 4 touches after %.0f s (events posted in %.1f s)",
          sink.complete(), opts.contacts, (System.nanoTime() - t0) / 1e9, posted);
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the welcome round did not complete in time: " + welcomeState(db, batch));
      }
    }
    double seconds = (sink.doneNanos() - t0) / 1e9;
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    Counters used = Counters.read(db, "postgres").minus(before);
    String stages = welcomeStages(db, batch, wall, posted);
    log("  Siyu: %,d contacts through in %.2f s = %.1f instances/s; %s; %s", opts.contacts, seconds,
        opts.contacts / seconds, stages, used.per(opts.contacts, "contact"));
    return new Side(seconds, stages + "; " + used.per(opts.contacts, "contact"));
  }

  static String welcomeEvent(int batch, int i) {
    return json(Map.of("id", welcomeKey(batch, i), "type", "member.registered",
        "contact", Map.of("mobile", String.format(Locale.ROOT, "+861%02d%08d", 30 + batch, i))));
  }

  static String welcomeKey(int batch, int i) {
    return "jbw-" + batch + "-" + i;
  }

  /**
   * Where a part's time went, from Siyu's own timestamps (each is its transaction's start):
   * when the last event was stored, entered, and each of the four touches queued and sent,
   * as offsets from the first POST, and per-contact medians of the stages between them.
   */
  static String welcomeStages(Connection db, int batch, Instant t0, double posted) throws SQLException {
    String like = "jbw-" + batch + "-%";
    double origin = t0.toEpochMilli() / 1e3;
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "events posted by +%.1f s", posted));
    try (PreparedStatement st = db.prepareStatement("""
        SELECT extract(epoch FROM max(e.received_at)) - ?, extract(epoch FROM max(j.entered_at)) - ?,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM j.entered_at - e.received_at))
          FROM events e JOIN journey_entries j ON j.contact_id = e.contact_id AND j.journey_key = 'welcome'
         WHERE e.event_key LIKE ?""")) {
      st.setDouble(1, origin);
      st.setDouble(2, origin);
      st.setString(3, like);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        out.append(String.format(Locale.ROOT, ", stored by +%.1f s; entered by +%.1f s (median event→entry %.2f s)",
            rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)));
      }
    }
    try (PreparedStatement st = db.prepareStatement("""
        SELECT t.template_key, extract(epoch FROM max(t.created_at)) - ?, extract(epoch FROM max(h.at)) - ?,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.created_at - j.entered_at)),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.at - t.created_at))
          FROM events e
          JOIN journey_entries j ON j.contact_id = e.contact_id AND j.journey_key = 'welcome'
          JOIN touches t ON t.contact_id = e.contact_id AND t.journey_key = 'welcome'
          JOIN touch_history h ON h.touch_id = t.id AND h.status = 'sent'
         WHERE e.event_key LIKE ?
         GROUP BY t.template_key ORDER BY t.template_key""")) {
      st.setDouble(1, origin);
      st.setDouble(2, origin);
      st.setString(3, like);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.append(String.format(Locale.ROOT, "; %s queued by +%.1f s, sent by +%.1f s (median entry→queued %.2f s, queued→sent %.2f s)",
              rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)));
        }
      }
    }
    return out.toString();
  }

  /** For a batch that did not finish: how far each stage got. */
  static String welcomeState(Connection db, int batch) {
    try {
      return scalar(db, "SELECT json_build_object("
          + "'events', (SELECT count(*) FROM events WHERE event_key LIKE '" + "jbw-" + batch + "-%'), "
          + "'inbox', (SELECT count(*) FROM journey_inbox), "
          + "'parked', (SELECT count(*) FROM journey_inbox WHERE parked), "
          + "'entries', (SELECT count(*) FROM journey_entries WHERE journey_key = 'welcome'), "
          + "'touches', (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM touches GROUP BY status) s), "
          + "'incidents', (SELECT count(*) FROM act_ru_incident))::text");
    } catch (SQLException e) {
      return "(state unknown: " + e.getMessage() + ")";
    }
  }

  /** One bare part: N instances started from a few threads, until every one has ended. */
  private Side bareWelcome(int batch) throws Exception {
    Counters before = Counters.read(db, BareEngine.DATABASE);
    bare.expectEnds(opts.contacts);
    String prefix = "w" + batch + "-";
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    // the same variables Siyu's inbox gives an entry, so the engine stores the same
    bare.startAll("welcome", prefix, opts.contacts, opts.threads, i -> Map.of(
        "contactId", (long) i, "entryKey", "once", "triggerEventId", (long) i,
        "triggerEvent", "{\"id\":\"" + welcomeKey(batch, i) + "\"}"));
    double started = (System.nanoTime() - t0) / 1e9;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120 + opts.contacts / 4);
    while (!bare.awaitEnds(5, TimeUnit.SECONDS)) {
      log("  bare: %,d of %,d instances ended after %.0f s", bare.ended(), opts.contacts, (System.nanoTime() - t0) / 1e9);
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the bare engine's welcome round did not complete in time");
      }
    }
    double seconds = (bare.endedNanos() - t0) / 1e9;
    Thread.sleep(1500);
    Counters used = Counters.read(db, BareEngine.DATABASE).minus(before);
    String stages = String.format(Locale.ROOT, "all started by +%.1f s; %s", started, bare.history(prefix, opts.contacts, wall));
    log("  bare: %,d instances through in %.2f s = %.1f instances/s; %s; %s", opts.contacts, seconds,
        opts.contacts / seconds, stages, used.per(opts.contacts, "instance"));
    return new Side(seconds, stages + "; " + used.per(opts.contacts, "instance"));
  }
}
