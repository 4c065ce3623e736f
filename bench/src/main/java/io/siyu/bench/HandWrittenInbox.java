package io.siyu.bench;

import static io.siyu.bench.Out.log;

import io.siyu.bench.WecomLoad.Row;
import io.siyu.bench.WecomLoad.Side;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WeCom ingest scenario's like-for-like reference: what Siyu does, written by hand over JDBC
 * in this JVM, with no HTTP, crypto or framework in between.
 *
 * <ul>
 *   <li><b>Group commit</b>: C client threads, each handing over one callback and waiting until it
 *       is committed before the next (as WeCom's connections wait for their answer); one writer
 *       connection stores whatever is waiting as one multi-row INSERT (at most 500) and one
 *       commit, then the next batch — Siyu's inbox writer's scheme.
 *   <li><b>Handling</b>: while callbacks arrive, {@value #HANDLERS} handler connections claim the
 *       stored ones (up to 500, {@code FOR UPDATE SKIP LOCKED}) and in the same transaction make
 *       the upserts Siyu's change_external_contact handler makes, each one set-based statement
 *       over the batch: the contacts by external_userid, the follow relations, the owner and
 *       source, the change rows (complete), the member events with the contacts' aggregates, and
 *       the callbacks marked done.
 * </ul>
 *
 * Its end-to-end rate (callbacks stored and handled per second, until the last is handled) is
 * what Siyu's is compared with; its group-commit answer rate and latency are reported beside
 * Siyu's durable answers.
 */
final class HandWrittenInbox {
  static final String TABLE = "bench_wecom_group";
  static final int MAX_BATCH = 500;
  static final int HANDLERS = 2;

  private static final String INSERT = "INSERT INTO " + TABLE + " (message_hash, event, change_type, message, fields) "
      + "SELECT h, e, c, m, f::jsonb FROM unnest(?::bytea[], ?::text[], ?::text[], ?::text[], ?::text[]) "
      + "  WITH ORDINALITY AS r (h, e, c, m, f, n) ORDER BY n ON CONFLICT (message_hash) DO NOTHING";
  private static final String CLAIM = "SELECT id, fields->>'ExternalUserID', fields->>'UserID', fields->>'State', "
      + "fields->>'WelcomeCode', to_timestamp((fields->>'CreateTime')::bigint) FROM " + TABLE
      + " WHERE status = 'pending' ORDER BY id LIMIT " + MAX_BATCH + " FOR UPDATE SKIP LOCKED";
  private static final String CONTACTS = "INSERT INTO contacts (external_userid, timezone) "
      + "SELECT u, 'Asia/Shanghai' FROM unnest(?::text[]) u ORDER BY u ON CONFLICT DO NOTHING";
  private static final String LOCK = "SELECT id, external_userid FROM contacts WHERE external_userid = ANY(?::text[]) "
      + "ORDER BY id FOR NO KEY UPDATE";
  private static final String FOLLOWS = "INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, state, added_at) "
      + "SELECT c, s, 'active', st, at FROM unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[]) AS u (c, s, st, at) "
      + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, "
      + "  added_at = EXCLUDED.added_at, deleted_at = NULL, updated_at = now()";
  private static final String OWNER = "UPDATE contacts c SET owner_staff_id = coalesce(c.owner_staff_id, u.staff), "
      + "source = coalesce(c.source, 'wecom'), updated_at = now() FROM unnest(?::bigint[], ?::text[]) AS u (id, staff) "
      + "WHERE c.id = u.id AND (c.owner_staff_id IS NULL OR c.source IS NULL)";
  private static final String CHANGES = "INSERT INTO wecom_contact_changes (callback_id, contact_id, staff_userid, "
      + "change_type, occurred_at, effect, event, completed_at) "
      + "SELECT id, c, s, 'add_external_contact', at, 'added', jsonb_build_object('id', 'wecom:' || id, "
      + "  'type', 'wecom.contact_added', 'contact_id', c, 'properties', jsonb_build_object('staff', s, "
      + "  'external_userid', x, 'state', st, 'welcome_code', w, 'new_relation', true)), now() "
      + "FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[]) "
      + "  AS u (id, c, s, at, x, st, w)";
  private static final String EVENTS = "WITH ins AS (INSERT INTO events (event_key, contact_id, type, occurred_at, "
      + "  properties, source) SELECT 'wecom:' || id, c, 'wecom.contact_added', at, jsonb_build_object('staff', s, "
      + "  'external_userid', x, 'state', st, 'welcome_code', w, 'new_relation', true), 'wecom' "
      + "  FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[]) "
      + "    AS u (id, c, s, at, x, st, w) "
      + "  ON CONFLICT (event_key) DO NOTHING RETURNING contact_id, occurred_at) "
      + "UPDATE contacts c SET first_seen_at = least(c.first_seen_at, a.f), "
      + "  last_interaction_at = greatest(c.last_interaction_at, a.l), updated_at = now() "
      + "FROM (SELECT contact_id, min(occurred_at) AS f, max(occurred_at) AS l FROM ins GROUP BY contact_id) a "
      + "WHERE c.id = a.contact_id";
  private static final String DONE = "UPDATE " + TABLE + " SET status = 'done', done_at = now(), updated_at = now() "
      + "WHERE id = ANY(?::bigint[])";

  /** One run: the answers (group commit) and when the last callback was handled. */
  record Result(Side store, double handledSeconds) {}

  private record Pending(Row row, CompletableFuture<Void> committed) {}

  private final Server server;
  private final int concurrency;
  private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
  private final Semaphore stored = new Semaphore(0);
  private final AtomicInteger handled = new AtomicInteger();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  private HandWrittenInbox(Server server, int concurrency) {
    this.server = server;
    this.concurrency = concurrency;
  }

  static Result run(Server server, int concurrency, List<Row> rows) throws Exception {
    return new HandWrittenInbox(server, concurrency).measure(rows);
  }

  private Result measure(List<Row> rows) throws Exception {
    long[] latencies = new long[rows.size()];
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    Thread writer = start("bench-group-commit", () -> write(rows.size()));
    for (int h = 0; h < HANDLERS; h++) {
      threads.add(start("bench-handler-" + h, () -> handle(rows.size())));
    }
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      clients.add(start("bench-client-" + c, () -> {
        for (int i = next.getAndIncrement(); i < rows.size() && failure.get() == null; i = next.getAndIncrement()) {
          long start = System.nanoTime();
          CompletableFuture<Void> committed = new CompletableFuture<>();
          waiting.add(new Pending(rows.get(i), committed));
          awaitCommit(committed);
          latencies[i] = System.nanoTime() - start;
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    double answered = (System.nanoTime() - t0) / 1e9;
    writer.join();
    for (Thread t : threads) {
      t.join();
    }
    double handledSeconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    Side store = new Side(answered, latencies, String.format(Locale.ROOT,
        "all %,d handled %.2f s after the last answer", rows.size(), handledSeconds - answered));
    log("  hand-written: group commit %,.0f/s, median %.1f ms, p99 %.1f ms; all handled after %.2f s = %,.0f/s end to end",
        store.rate(), store.medianMs(), store.p99Ms(), handledSeconds, rows.size() / handledSeconds);
    return new Result(store, handledSeconds);
  }

  /** Until the writer committed it; gives up when another thread of the side failed. */
  private void awaitCommit(CompletableFuture<Void> committed) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      try {
        committed.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException notYet) {
        if (failure.get() != null || System.nanoTime() > deadline) {
          throw new IllegalStateException("the group commit did not commit a callback", failure.get());
        }
      }
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private Thread start(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        failure.compareAndSet(null, e);
      }
    }, name);
    t.start();
    return t;
  }

  /** The writer: what is waiting goes in together, one INSERT and one commit; then the next batch. */
  private void write(int total) throws Exception {
    int written = 0;
    try (Connection db = server.connect(); PreparedStatement insert = db.prepareStatement(INSERT)) {
      while (written < total && failure.get() == null) {
        Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        waiting.drainTo(batch, MAX_BATCH - 1);
        insert.setArray(1, db.createArrayOf("bytea", batch.stream().map(p -> p.row().hash()).toArray(byte[][]::new)));
        insert.setArray(2, db.createArrayOf("text", batch.stream().map(p -> p.row().event()).toArray()));
        insert.setArray(3, db.createArrayOf("text", batch.stream().map(p -> p.row().changeType()).toArray()));
        insert.setArray(4, db.createArrayOf("text", batch.stream().map(p -> p.row().message()).toArray()));
        insert.setArray(5, db.createArrayOf("text", batch.stream().map(p -> p.row().fields()).toArray()));
        if (insert.executeUpdate() != batch.size()) {
          throw new IllegalStateException("a group commit stored fewer rows than it was given");
        }
        written += batch.size();
        stored.release();
        batch.forEach(p -> p.committed().complete(null));
      }
    }
  }

  /** A handler: claims stored callbacks and handles them in the claim's transaction, until all are handled. */
  private void handle(int total) throws Exception {
    try (Connection db = server.connect()) {
      db.setAutoCommit(false);
      while (handled.get() < total && failure.get() == null) {
        int n = handleBatch(db);
        db.commit();
        if (n == 0) {
          stored.tryAcquire(20, TimeUnit.MILLISECONDS);
        } else {
          handled.addAndGet(n);
        }
      }
    }
  }

  private int handleBatch(Connection db) throws SQLException {
    List<Long> ids = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<String> staff = new ArrayList<>();
    List<String> states = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    List<Timestamp> at = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(CLAIM)) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
        users.add(rs.getString(2));
        staff.add(rs.getString(3));
        states.add(rs.getString(4));
        codes.add(rs.getString(5));
        at.add(rs.getTimestamp(6));
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    update(db, CONTACTS, text(db, users));
    List<Long> contacts = contactIds(db, users);
    update(db, FOLLOWS, array(db, "bigint", contacts), text(db, staff), text(db, states), array(db, "timestamptz", at));
    update(db, OWNER, array(db, "bigint", contacts), text(db, staff));
    Array[] change = {array(db, "bigint", ids), array(db, "bigint", contacts), text(db, staff), array(db, "timestamptz", at),
        text(db, users), text(db, states), text(db, codes)};
    update(db, CHANGES, change);
    update(db, EVENTS, change);
    update(db, DONE, array(db, "bigint", ids));
    return ids.size();
  }

  /** The contacts' ids in the claim's order, locked in id order as Siyu's handler locks them. */
  private static List<Long> contactIds(Connection db, List<String> users) throws SQLException {
    Map<String, Long> byUser = new HashMap<>();
    try (PreparedStatement st = db.prepareStatement(LOCK)) {
      st.setArray(1, text(db, users));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byUser.put(rs.getString(2), rs.getLong(1));
        }
      }
    }
    return users.stream().map(byUser::get).toList();
  }

  private static void update(Connection db, String sql, Array... arrays) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      for (int i = 0; i < arrays.length; i++) {
        st.setArray(i + 1, arrays[i]);
      }
      st.executeUpdate();
    }
  }

  private static Array text(Connection db, List<String> values) throws SQLException {
    return array(db, "text", values);
  }

  private static Array array(Connection db, String type, List<?> values) throws SQLException {
    return db.createArrayOf(type, values.toArray());
  }

  /** Untimed, after the run: every callback handled once, with its contact, relation, change and event. */
  static void check(Connection db, String users, int n) throws SQLException {
    String like = users + "%";
    long contacts = Sql.count(db, "SELECT count(*) FROM contacts WHERE external_userid LIKE ?", like);
    long events = Sql.count(db, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
        + "WHERE c.external_userid LIKE ? AND e.type = 'wecom.contact_added'", like);
    long done = Sql.count(db, "SELECT count(*) FROM " + TABLE + " WHERE status = 'done' AND fields->>'ExternalUserID' LIKE ?", like);
    if (contacts != n || events != n || done != n) {
      throw new BenchFailure(String.format(Locale.ROOT, "the hand-written reference made %d contacts and %d events and "
          + "marked %d callbacks done, expected %d of each", contacts, events, done, n));
    }
  }
}
