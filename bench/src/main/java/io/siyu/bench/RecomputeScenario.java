package io.siyu.bench;

import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.awaitAutovacuum;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Sql.timedSql;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario {@code recompute}: the scheduled job ({@code POST /api/v1/loyalty/recompute}:
 * lifecycle stages, RFM classes, points expiry) over N contacts and M events, each run against a
 * reference taken just before it on the same data: hand-written read-only SQL that reads what
 * the run reads ({@link #REFERENCE}). A backfill first (reference, not the goal), then
 * {@value #DAILY_RUNS} simulated days, each with its purchases, so the RFM ranks the base again.
 * Goal: the daily run ≤ 5 × the reference (median of the days).
 */
final class RecomputeScenario {
  static final double GOAL = 5.0;
  /** Daily runs after the backfill: the goal is their median ratio to the reference taken just before each. */
  static final int DAILY_RUNS = 3;

  /**
   * What a run reads, read by hand in one transaction (with the work_mem the RFM ranking sets):
   * the lifecycle's candidates as the daily pass selects them (written since the last run's
   * horizon, or whose clock crossed the 90/180-day line since it ran; every contact when it never
   * ran) with the default rules evaluated on them; the RFM quintile boundaries of the buying base
   * and every buyer's scores from them; the points lots due and those inside the 30-day notice
   * window. Counts only: no writes, so this is the reading alone, the floor for any job doing it.
   */
  static final String[] REFERENCE = {
      "SET LOCAL work_mem = '64MB'",
      """
      SELECT count(*) FILTER (WHERE c.lifecycle_stage <> CASE
          WHEN coalesce(c.last_interaction_at, c.first_seen_at) < now() - interval '180 days' THEN 'churned'
          WHEN coalesce(c.last_purchase_at, c.first_seen_at) < now() - interval '90 days' THEN 'dormant'
          WHEN c.purchase_count >= 3 OR c.total_spent > 500 THEN 'mature'
          WHEN c.purchase_count >= 1 THEN 'growing' ELSE 'new' END)
        FROM contacts c, recompute_marks k
       WHERE k.part = 'lifecycle' AND (k.clock IS NULL
          OR (c.updated_at >= k.since AND c.updated_at < k.clock) OR (c.updated_at > k.clock AND c.updated_at >= k.since)
          OR (coalesce(c.last_interaction_at, c.first_seen_at) >= k.clock - interval '180 days'
              AND coalesce(c.last_interaction_at, c.first_seen_at) < now() - interval '180 days')
          OR (coalesce(c.last_purchase_at, c.first_seen_at) >= k.clock - interval '90 days'
              AND coalesce(c.last_purchase_at, c.first_seen_at) < now() - interval '90 days'))""",
      """
      WITH q AS MATERIALIZED (SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r,
          percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f,
          percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m
        FROM contacts WHERE purchase_count > 0)
      SELECT count(*) FROM contacts c, q WHERE c.purchase_count > 0 AND (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM (
          1 + (c.last_purchase_at > q.r[1])::int + (c.last_purchase_at > q.r[2])::int
            + (c.last_purchase_at > q.r[3])::int + (c.last_purchase_at > q.r[4])::int,
          1 + (c.purchase_count > q.f[1])::int + (c.purchase_count > q.f[2])::int
            + (c.purchase_count > q.f[3])::int + (c.purchase_count > q.f[4])::int,
          1 + (c.total_spent > q.m[1])::int + (c.total_spent > q.m[2])::int
            + (c.total_spent > q.m[3])::int + (c.total_spent > q.m[4])::int)""",
      """
      SELECT count(*) FILTER (WHERE expires_at <= now()), count(*) FILTER (WHERE expires_at > now()
          AND expires_at <= now() + interval '30 days')
        FROM points_ledger WHERE remaining > 0"""};

  private final SiyuBench.Options opts;
  private final SiyuBench.Report report;
  private final Api api;
  private final Connection db;

  RecomputeScenario(SiyuBench.Options opts, SiyuBench.Report report, Api api, Connection db) {
    this.opts = opts;
    this.report = report;
    this.api = api;
    this.db = db;
  }

  /**
   * The loaded data has every contact at the default stage with no RFM scores, which event
   * ingestion would never leave behind: the first run is a backfill, timed and reported as a
   * reference. Then, {@value #DAILY_RUNS} times, a day passes (untimed: every contact's timestamps
   * and every open lot's expiry move one day back, then the day's purchases come in through the
   * API) and the scheduled run does that day's work — members crossing the 90/180-day lines, lots
   * falling due, the RFM base ranked again. Those daily runs are what the schedule runs, and what
   * the goal is about.
   */
  void run() throws Exception {
    long events = opts.events();
    report.events = events;
    log("");
    log("== recompute: POST /api/v1/loyalty/recompute over %,d contacts and %,d events vs hand-written SQL reading "
        + "what it reads", opts.rows, events);
    report.setupSeconds = RecomputeData.load(db, opts.rows, events);
    warmUp();
    for (int run = 0; run <= DAILY_RUNS; run++) {
      String name = run == 0 ? "backfill" : "day " + run;
      if (run > 0) {
        RecomputeData.ageOneDay(db);
        report.purchases.add(RecomputeData.purchases(api, db, run));
      }
      timedSql(db, "VACUUM (ANALYZE) contacts, points_ledger, recompute_marks", "vacuumed and analyzed");
      long buyers = Long.parseLong(scalar(db, "SELECT count(*) FROM contacts WHERE purchase_count > 0"));
      long dueLots = Long.parseLong(scalar(db, "SELECT count(*) FROM points_ledger WHERE remaining > 0 AND expires_at <= now()"));
      long stagesBefore = Long.parseLong(scalar(db, "SELECT count(*) FROM events WHERE type = 'lifecycle.changed'"));
      awaitAutovacuum(db);
      double reference = reference();
      report.referenceMillis.add(reference);
      log("%s: the reference read in %,.0f ms; %,d buyers, %,d lots due", name, reference, buyers, dueLots);
      long t0 = System.nanoTime();
      JsonNode answer = api.post("/api/v1/loyalty/recompute", "{}", 200, Duration.ofMinutes(30));
      double ms = (System.nanoTime() - t0) / 1e6;
      report.recomputeMillis.add(ms);
      report.recomputeAnswers.add(answer);
      log("%s: recompute in %,.0f ms = %.2f × the reference; the server says %s", name, ms, report.recomputeRatio(run), answer);
      RecomputeChecks.check(db, answer, dueLots, buyers, stagesBefore);
    }
    log("backfill / reference: %.2f (not the goal); daily runs / the reference before each: %s, median %.2f (goal <= %.1f)",
        report.recomputeRatio(0), dailyRatios(), report.dailyMedianRatio(), GOAL);
  }

  /** One untimed pass of the reference first, so neither side meets a cold cache. */
  private void warmUp() throws Exception {
    awaitAutovacuum(db);
    log("warm-up reference read in %,.0f ms", reference());
  }

  /** The reference's statements in one read-only transaction on one connection, timed end to end. */
  private double reference() throws SQLException {
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try (Statement st = db.createStatement()) {
      long t0 = System.nanoTime();
      for (String sql : REFERENCE) {
        if (st.execute(sql)) {
          try (ResultSet rs = st.getResultSet()) {
            rs.next();
          }
        }
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      db.rollback();
      return ms;
    } finally {
      db.setAutoCommit(auto);
    }
  }

  private String dailyRatios() {
    List<String> r = new ArrayList<>();
    for (int i = 1; i < report.recomputeMillis.size(); i++) {
      r.add(String.format(Locale.ROOT, "%.2f", report.recomputeRatio(i)));
    }
    return String.join(", ", r);
  }
}
