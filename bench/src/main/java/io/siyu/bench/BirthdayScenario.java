package io.siyu.bench;

import static io.siyu.bench.Out.JSON;
import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.count;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Sql.timedSql;
import static io.siyu.bench.Stats.median;

import com.fasterxml.jackson.databind.JsonNode;
import io.siyu.bench.Rounds.Round;
import io.siyu.bench.Rounds.Side;
import io.siyu.bench.Sql.Counters;
import io.siyu.journey.BirthdayScan;
import io.siyu.journey.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario {@code birthday}: the birthday scan over M contacts, fired through the API, until every
 * due contact's entry has its instance, against the bare engine starting as many instances of
 * the same BPMN on one thread, {@value BareEngine#CHUNK} per transaction as the scan enters them.
 * Goal: Siyu's time ≤ 1.3 × the bare engine's.
 */
final class BirthdayScenario {
  static final double GOAL = 1.3;
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private final JourneyBench.Options opts;
  private final JourneyBench.Report report;
  private final Rounds rounds;
  private final Api api;
  private final Connection db;
  private final BareEngine bare;
  /** The birthday journey of the last attempt, paused when the next is deployed. */
  private String lastBirthday;

  BirthdayScenario(JourneyBench.Options opts, JourneyBench.Report report, Rounds rounds, Api api, Connection db,
      BareEngine bare) {
    this.opts = opts;
    this.report = report;
    this.rounds = rounds;
    this.api = api;
    this.db = db;
    this.bare = bare;
  }

  /**
   * A million contacts loaded in SQL, about 2,700 of them born on today's date in Asia/Shanghai.
   * Every round deploys a fresh copy of the birthday journey (its own key, so nobody is skipped as
   * already entered) and pauses the previous one, so each scan enters the same contacts into
   * exactly one journey.
   */
  void run() throws Exception {
    log("");
    log("== birthday: scan over %,d contacts (local hour 0), firing to every instance started, vs the bare engine",
        opts.rows);
    String shipped = Journeys.readShipped("birthday.bpmn");
    LocalDate today = LocalDate.now(SHANGHAI);
    report.loadSeconds = loadBirthdayContacts(db, opts.rows);
    long due = dueToday(db, today);
    report.due = due;
    log("%,d contacts have their birthday today (%s in Asia/Shanghai)", due, today);
    if (due == 0) {
      throw new BenchFailure("no contact has a birthday today; use more --rows");
    }
    bare.deploy("birthday_bench", Journeys.completed(Journeys.birthdayCopy(shipped, "birthday_bench")));
    for (int r = 0; r < opts.warmup + opts.rounds; r++) {
      Round round = rounds.round(db, "birthday", r, "bare engine", batch -> {
        if (!LocalDate.now(SHANGHAI).equals(today)) {
          throw new BenchFailure("midnight passed in Asia/Shanghai during the run: the birthdays due changed");
        }
        prepareBirthdayJourney(api, shipped, birthdayKey(batch), lastBirthday);
        lastBirthday = birthdayKey(batch);
      }, batch -> siyuBirthday(birthdayKey(batch), due), batch -> bareBirthday(batch, (int) due));
      log("birthday %s: Siyu %.2f s, bare %.2f s, ratio %.2f%s", rounds.name(r), round.siyu().seconds(),
          round.bare().seconds(), JourneyBench.Report.birthdayRatio(round), r < opts.warmup ? " (warm-up, not counted)" : "");
      if (r >= opts.warmup) {
        report.birthday.add(round);
      }
    }
    report.scanQuery = explainScan(db);
    log("birthday: median ratio %.2f (goal <= %.1f)", report.birthdayRatio(), GOAL);
  }

  /**
   * N contacts (untimed setup), birthdays spread evenly over 1960–2005: i × a large prime modulo
   * the 16,801 days of those years visits every day equally often, so each calendar day has
   * about N × 46 / 16,801 birthdays (2,738 for a million; 29 February a quarter of that).
   * Every contact is in the default time zone, Asia/Shanghai.
   */
  static double loadBirthdayContacts(Connection db, int rows) throws SQLException {
    long t0 = System.nanoTime();
    timedSql(db, "INSERT INTO contacts (mobile, name, source, birthday) "
        + "SELECT '+86129' || lpad(i::text, 8, '0'), 'bench ' || i, 'bench', "
        + "  date '1960-01-01' + ((i::bigint * 2654435761) % 16801)::int "
        + "FROM generate_series(0, " + (rows - 1) + ") i", "contacts with birthdays");
    // VACUUM as well as ANALYZE: hint bits and the visibility map are set here, not in a timed scan
    timedSql(db, "VACUUM (ANALYZE) contacts", "vacuumed and analyzed");
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The contacts whose birthday is {@code today} (29 February ones on the 28th of a common year). */
  static long dueToday(Connection db, LocalDate today) throws SQLException {
    boolean leapDayToo = today.getMonthValue() == 2 && today.getDayOfMonth() == 28 && !today.isLeapYear();
    return Long.parseLong(scalar(db, "SELECT count(*) FROM contacts WHERE birthday IS NOT NULL AND timezone = 'Asia/Shanghai' "
        + "AND ((birth_month = " + today.getMonthValue() + " AND birth_day = " + today.getDayOfMonth() + ")"
        + (leapDayToo ? " OR (birth_month = 2 AND birth_day = 29)" : "") + ")"));
  }

  /** Batch b's birthday journey (batch numbers run on from the welcome's; the first journey has no predecessor to pause). */
  String birthdayKey(int b) {
    return "birthday_bench_" + b;
  }

  /** Untimed: deploys this round's copy of the birthday journey and pauses the last round's. */
  static void prepareBirthdayJourney(Api api, String shipped, String key, String previous) {
    JsonNode deployed = api.postXml("/api/v1/journeys", Journeys.birthdayCopy(shipped, key), 201);
    if (deployed.path("trigger").path("hour").asInt(-1) != 0) {
      throw new BenchFailure("the birthday copy was deployed with a trigger other than hour 0: " + deployed);
    }
    if (previous != null) {
      api.post("/api/v1/journeys/" + previous + "/pause", "{}", 200);
    }
  }

  /** One Siyu part: fires the scan through the API, until every due contact's entry has its instance. */
  private Side siyuBirthday(String key, long due) throws Exception {
    Counters before = Counters.read(db, "postgres");
    long lastRun = Long.parseLong(scalar(db, "SELECT coalesce(max(id), 0) FROM schedule_runs WHERE job = 'journey-birthdays'"));
    Instant wall = Instant.now();
    long t0 = System.nanoTime();
    api.post("/api/v1/schedules/journey-birthdays/run", "{}", 202);
    int polls = 0;
    long lastLog = t0;
    try (PreparedStatement st = db.prepareStatement(
        "SELECT count(*) FROM journey_entries WHERE journey_key = ? AND process_instance_id IS NOT NULL")) {
      st.setString(1, key);
      long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
      while (true) {
        long started = count(st);
        polls++;
        if (started >= due) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new BenchFailure("the birthday scan started " + started + " of " + due + " instances in 30 minutes");
        }
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(5)) {
          lastLog = System.nanoTime();
          log("  Siyu: %,d of %,d entries started after %.0f s", started, due, (lastLog - t0) / 1e9);
        }
        // a count through the journey_key index every 100 ms; entries commit 50 at a time anyway
        Thread.sleep(100);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Settled settled = settleBirthdayRun(db, key, lastRun);
    Counters used = Counters.read(db, "postgres").minus(before).lessCommits(polls + settled.queries());
    String detail = birthdayRunDetail(settled.run(), wall, key, due) + "; " + used.per(due, "entry");
    log("  Siyu: %,d instances started in %.2f s; %s", due, seconds, detail);
    return new Side(seconds, detail);
  }

  /** The scan's recorded run, and how many queries (commits) the harness made waiting for it. */
  record Settled(JsonNode run, int queries) {}

  /**
   * Untimed: waits until the run is recorded as done and its touches are delivered (the dispatcher
   * sends them behind the scan), so they do not land in the next, bare, part.
   */
  static Settled settleBirthdayRun(Connection db, String key, long lastRun) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    int queries = 0;
    while (System.nanoTime() < deadline) {
      queries += 2;
      String run = scalar(db, "SELECT json_build_object('status', status, 'result', result, 'error', error, "
          + "'started', extract(epoch FROM started_at), 'finished', extract(epoch FROM finished_at))::text "
          + "FROM schedule_runs WHERE job = 'journey-birthdays' AND id > " + lastRun + " ORDER BY id DESC LIMIT 1");
      long unsent = Long.parseLong(scalar(db, "SELECT count(*) FROM touches WHERE journey_key = '" + key + "' AND status <> 'sent'"));
      if (run != null && !JSON.readTree(run).path("status").asText().equals("running") && unsent == 0) {
        JsonNode node = JSON.readTree(run);
        if (!node.path("status").asText().equals("done")) {
          throw new BenchFailure("the birthday scan run ended " + node);
        }
        Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
        return new Settled(node, queries);
      }
      Thread.sleep(200);
    }
    throw new BenchFailure("the birthday scan's run or its touches did not finish within 10 minutes after the instances");
  }

  /** What the run recorded: when Quartz started it, how long it ran, and its counts (which must be all due, all entered). */
  static String birthdayRunDetail(JsonNode run, Instant t0, String key, long due) {
    JsonNode mine = null;
    for (JsonNode j : run.path("result").path("journeys")) {
      if (j.path("journey").asText().equals(key)) {
        mine = j;
      } else if (j.path("due").asLong() > 0) {
        throw new BenchFailure("the scan also entered contacts into journey " + j.path("journey").asText() + ": " + run);
      }
    }
    if (mine == null || mine.path("due").asLong() != due || mine.path("entered").asLong() != due
        || mine.path("failed").asLong() != 0) {
      throw new BenchFailure("the scan's run does not show " + due + " due and entered into " + key + ": " + run);
    }
    double origin = t0.toEpochMilli() / 1e3;
    double started = run.path("started").asDouble() - origin;
    double span = run.path("finished").asDouble() - run.path("started").asDouble();
    return String.format(Locale.ROOT, "Quartz started the run at +%.2f s, it ran %.2f s (%.2f ms per entry, query included)",
        started, span, span * 1000 / due);
  }

  /**
   * One bare part: the same number of instances started one after another on one thread, as the
   * scan does, and in transactions of the same size: {@value BareEngine#CHUNK} starts, one commit.
   */
  private Side bareBirthday(int batch, int due) throws Exception {
    Counters before = Counters.read(db, BareEngine.DATABASE);
    long t0 = System.nanoTime();
    bare.startInChunks("birthday_bench", "b" + batch + "-", due, i -> Map.of("contactId", (long) i, "entryKey", "2026"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1500);
    Counters used = Counters.read(db, BareEngine.DATABASE).minus(before);
    String detail = String.format(Locale.ROOT, "%.2f ms per instance; %s", seconds * 1000 / due, used.per(due, "instance"));
    log("  bare: %,d instances started in %.2f s; %s", due, seconds, detail);
    return new Side(seconds, detail);
  }

  /**
   * Diagnosis, untimed: the scan's candidate query (as BirthdayScan builds it for a yearly journey)
   * for a journey nobody has entered, so it returns every due contact: EXPLAIN ANALYZE once, then
   * three plain runs. The query and its parameters come from BirthdayScan; it is not part of any ratio.
   */
  static String explainScan(Connection db) throws SQLException {
    String sql = BirthdayScan.dueSql(Trigger.Reentry.YEARLY);
    StringBuilder plan = new StringBuilder();
    List<Double> millis = new ArrayList<>();
    for (int run = 0; run < 4; run++) {
      boolean explain = run == 0;
      try (PreparedStatement st = db.prepareStatement((explain ? "EXPLAIN (ANALYZE, BUFFERS) " : "") + sql)) {
        BirthdayScan.bindDue(db, st, java.time.Instant.now(), 0, "bench_never_entered");
        long t0 = System.nanoTime();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            if (explain) {
              plan.append(rs.getString(1)).append('\n');
            }
          }
        }
        if (!explain) {
          millis.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    log("the scan's candidate query, EXPLAIN ANALYZE:%n%s", plan.toString().replaceAll("(?m)^", "    "));
    log("the scan's candidate query alone: %s ms (median %.1f ms)", millis.stream()
        .map(m -> String.format(Locale.ROOT, "%.1f", m)).toList(), median(millis));
    return String.format(Locale.ROOT, "%.1f ms (median of 3 plain runs; plan: %s)", median(millis), planSummary(plan.toString()));
  }

  /** The plan's node names, shortened: enough to see index or sequential scans. */
  static String planSummary(String plan) {
    List<String> nodes = new ArrayList<>();
    for (String line : plan.split("\n")) {
      String t = line.trim().replaceFirst("^->\\s*", "");
      if (t.matches("^[A-Z][A-Za-z ]+( on | using |\\s*\\().*") && !t.startsWith("Planning") && !t.startsWith("Execution")) {
        nodes.add(t.replaceAll("\\s*\\(cost=.*", "").replaceAll("\\s+", " "));
      }
    }
    return String.join(" → ", nodes);
  }
}
