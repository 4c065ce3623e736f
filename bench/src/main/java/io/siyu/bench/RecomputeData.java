package io.siyu.bench;

import static io.siyu.bench.Out.json;
import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Sql.timedSql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recompute scenario's data, written in SQL (setup, not measured; ten million events through
 * the API would be a different benchmark), and the purchases of each simulated day, which go
 * through the API like any shop's: see bench/README.md, scenario {@code recompute}.
 */
final class RecomputeData {
  private RecomputeData() {}

  /**
   * A uniform float8 in [0, 1) from {@code salt} and {@code x}: hashtext is deterministic, so
   * every run loads the same data without random() or a seed in the database. (float8, not
   * numeric: numeric ^ and / made the event load five times slower.)
   */
  static String unit(String salt, String x) {
    return "((hashtext('" + salt + "' || " + x + ")::bigint + 2147483648)::float8 / 4294967296)";
  }

  /** Contacts (their ids follow i, so id = base + i), events, aggregates, points lots; then VACUUM ANALYZE. */
  static double load(Connection db, int contacts, long events) throws SQLException {
    long t0 = System.nanoTime();
    if (!scalar(db, "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM events)").equals("0")) {
      throw new BenchFailure("the recompute scenario needs a database without contacts and events");
    }
    long base = insertContacts(db, contacts);
    insertEvents(db, base, contacts, events);
    setAggregates(db);
    insertPointsLots(db, base, contacts);
    // VACUUM as well as ANALYZE: sets hint bits and the visibility map once, so neither the first
    // scan nor an autovacuum of the fresh tables lands inside a measurement
    timedSql(db, "VACUUM (ANALYZE) contacts, events, points_ledger", "vacuumed and analyzed");
    double seconds = (System.nanoTime() - t0) / 1e9;
    log("setup (SQL, not part of the goal) took %.1f s", seconds);
    return seconds;
  }

  /** Contact i joined 30..400 days ago: its first_seen_at, before which it has no events. */
  static long insertContacts(Connection db, int contacts) throws SQLException {
    String joined = "now() - make_interval(days => 30 + floor(371 * " + unit("join", "i") + ")::int)";
    timedSql(db, "INSERT INTO contacts (mobile, name, source, first_seen_at, created_at) "
        + "SELECT '+86139' || lpad(i::text, 8, '0'), 'bench ' || i, 'bench', " + joined + ", " + joined + " "
        + "FROM generate_series(0, " + (contacts - 1) + ") i ORDER BY i", "contacts");
    long base = Long.parseLong(scalar(db, "SELECT min(id) FROM contacts"));
    long last = Long.parseLong(scalar(db, "SELECT max(id) FROM contacts"));
    // events address contacts as base + i, which holds only if the identity handed out a gap-free run
    if (last - base + 1 != contacts) {
      throw new BenchFailure("contact ids run from " + base + " to " + last + " for " + contacts + " contacts");
    }
    return base;
  }

  /**
   * Contact i owns events [M·(i/N)^⅔, M·((i+1)/N)^⅔): exactly M in all, skewed (about 7 for the
   * last contacts, hundreds for the first), generated contact by contact, which keeps the index
   * inserts of the load local. A contact was last active {@code quiet} days ago, skewed towards
   * recent (u² × 300: about 45% quiet for over 90 days, 22% for over 180, so lifecycle has
   * dormant and churned members to find); its events fall uniformly between its join day (the
   * same hash as in insertContacts) and that day. 30% are purchases of 10–1000 yuan (mostly
   * small), the rest sign_in and page.viewed. The OFFSET 0s keep PostgreSQL from inlining the
   * subqueries, which would compute every hash once per reference instead of once.
   */
  static void insertEvents(Connection db, long base, int contacts, long events) throws SQLException {
    String contact = "SELECT i, joined, least(joined - 1, floor(300 * " + unit("quiet", "i") + " ^ 2)::int) AS quiet, "
        + "  ceil(" + events + " * power(i::float8 / " + contacts + ", 2.0 / 3))::bigint AS g0, "
        + "  ceil(" + events + " * power((i + 1)::float8 / " + contacts + ", 2.0 / 3))::bigint AS g1 "
        + "FROM (SELECT i, 30 + floor(371 * " + unit("join", "i") + ")::int AS joined "
        + "      FROM generate_series(0, " + (contacts - 1) + ") i OFFSET 0) a OFFSET 0";
    String event = "SELECT g, c.i, "
        + "  CASE WHEN r.u < 0.3 THEN 'purchase' WHEN r.u < 0.65 THEN 'sign_in' ELSE 'page.viewed' END AS type, "
        + "  now() - make_interval(secs => (c.quiet + (c.joined - c.quiet) * r.d) * 86400) AS at "
        + "FROM (" + contact + ") c "
        + "CROSS JOIN LATERAL generate_series(c.g0, c.g1 - 1) g "
        + "CROSS JOIN LATERAL (SELECT " + unit("type", "g") + " AS u, " + unit("day", "g") + " AS d OFFSET 0) r "
        + "OFFSET 0";
    timedSql(db, "INSERT INTO events (event_key, contact_id, type, occurred_at, received_at, amount, source) "
        + "SELECT 'bench:' || lpad(e.g::text, 10, '0'), " + base + " + e.i, e.type, e.at, e.at, "
        + "  CASE WHEN e.type = 'purchase' THEN round((10 + 990 * " + unit("amount", "e.g") + " ^ 2)::numeric, 2) END, "
        + "  'bench' "
        + "FROM (" + event + ") e", "events");
    long loaded = Long.parseLong(scalar(db, "SELECT count(*) FROM events"));
    if (loaded != events) {
      throw new BenchFailure("loaded " + loaded + " events instead of " + events);
    }
  }

  /** The aggregates the import and event ingestion keep on each contact, here taken from the events in one go. */
  static void setAggregates(Connection db) throws SQLException {
    timedSql(db, "UPDATE contacts c SET first_seen_at = least(c.first_seen_at, a.first_at), "
        + "  last_interaction_at = a.last_at, last_purchase_at = a.last_purchase_at, "
        + "  purchase_count = a.purchases, total_spent = a.spent "
        + "FROM (SELECT contact_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at, "
        + "    max(occurred_at) FILTER (WHERE type = 'purchase') AS last_purchase_at, "
        + "    count(*) FILTER (WHERE type = 'purchase') AS purchases, "
        + "    coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0) AS spent "
        + "  FROM events GROUP BY contact_id) a "
        + "WHERE c.id = a.contact_id", "contacts given their aggregates");
  }

  /**
   * Every fifth contact (20%) holds two earn lots: lot a expired 1–30 days ago for half of them
   * (the expiry's work) and expires in 180 days for the others, lot b expires in 1–60 days (about
   * half inside the 30-day notice window). Balances are then set to the sum of the open lots.
   */
  static void insertPointsLots(Connection db, long base, int contacts) throws SQLException {
    timedSql(db, "INSERT INTO points_ledger (contact_id, kind, points, remaining, expires_at, reason, "
        + "  idempotency_key, actor, created_at) "
        + "SELECT " + base + " + i, 'earn', p.points, p.points, p.expires_at, 'bench', 'bench:' || i || ':' || p.lot, "
        + "  'bench', now() - interval '200 days' "
        + "FROM generate_series(0, " + (contacts - 1) + ", 5) i "
        + "CROSS JOIN LATERAL (VALUES "
        + "  ('a', (100 + 50 * ((i / 5) % 7))::int, CASE WHEN (i / 5) % 2 = 0 "
        + "     THEN now() - make_interval(days => (1 + i % 30)::int) ELSE now() + interval '180 days' END), "
        + "  ('b', (20 + 10 * (i % 13))::int, now() + make_interval(days => (1 + (i / 5) % 60)::int))"
        + ") p(lot, points, expires_at)", "points lots");
    timedSql(db, "UPDATE contacts c SET points_balance = s.total "
        + "FROM (SELECT contact_id, sum(remaining)::int AS total FROM points_ledger GROUP BY contact_id) s "
        + "WHERE c.id = s.contact_id", "points balances");
  }

  /**
   * A day passes (untimed): every time the recompute compares with now() moves one day back —
   * contacts' first-seen, last-interaction, last-purchase and updated_at times, the open lots'
   * expiry, and what the last runs remembered in recompute_marks (when they ran, the horizon of
   * the writes they saw, the recency boundaries). Events keep their times: the recompute reads
   * the aggregates.
   */
  static void ageOneDay(Connection db) throws SQLException {
    timedSql(db, "UPDATE contacts SET first_seen_at = first_seen_at - interval '1 day', "
        + "last_interaction_at = last_interaction_at - interval '1 day', "
        + "last_purchase_at = last_purchase_at - interval '1 day', updated_at = updated_at - interval '1 day'",
        "contacts aged by a day");
    timedSql(db, "UPDATE points_ledger SET expires_at = expires_at - interval '1 day' WHERE remaining > 0",
        "open lots aged by a day");
    timedSql(db, "UPDATE recompute_marks SET clock = clock - interval '1 day', since = since - interval '1 day', "
        + "r = (SELECT array_agg(x - interval '1 day' ORDER BY i) FROM unnest(r) WITH ORDINALITY u(x, i))",
        "recompute marks aged by a day");
  }

  /** Share of the contacts who buy on a simulated day. */
  static final int BUYERS_PER_MILLE = 10;

  /**
   * The day's purchases (untimed): one contact in a hundred buys once, 10–1000 yuan, posted through
   * {@code POST /api/v1/events/batch} as a shop would, so ingestion keeps the aggregates, restages
   * the buyers and earns their points as it does every day; then the buyers' rows no longer match
   * their RFM scores and the recompute ranks the base again. Which contacts buy depends on the day.
   */
  static int purchases(Api api, Connection db, int day) throws SQLException {
    List<Map<String, Object>> events = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM contacts "
        + "WHERE (id * 7919 + " + day + " * 104729) % 1000 < " + BUYERS_PER_MILLE + " ORDER BY id")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        events.add(Map.of("id", "bench-day" + day + ":" + id, "type", "purchase", "contact_id", id,
            "amount", 10 + (id * 31 + day) % 990));
      }
    }
    long t0 = System.nanoTime();
    for (int from = 0; from < events.size(); from += 1000) {
      api.post("/api/v1/events/batch", json(Map.of("events", events.subList(from, Math.min(events.size(), from + 1000)))),
          200);
    }
    log("  %,d purchases of the day posted through the API in %.1f s", events.size(), (System.nanoTime() - t0) / 1e9);
    return events.size();
  }
}
