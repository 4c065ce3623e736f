package io.siyu.bench;

import static io.siyu.bench.Out.log;

import io.siyu.bench.WecomLoad.Side;
import io.siyu.bench.Sql.Counters;
import io.siyu.bench.WecomLoad.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WeCom ingest scenario's plainest reference: C JDBC connections, each inserting and
 * committing one callback at a time into a table {@code LIKE wecom_callbacks} — what a
 * straightforward store-then-answer endpoint costs at the database.
 */
final class SingleRowInserts {
  static final String TABLE = "bench_wecom_inserts";

  private SingleRowInserts() {}

  static Side run(Server server, int concurrency, List<Row> rows) throws Exception {
    long[] latencies = new long[rows.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      connections.add(server.connect());
    }
    List<Thread> threads = new ArrayList<>();
    long walBefore;
    try (Connection db = server.connect()) {
      walBefore = Counters.read(db).walBytes();
    }
    long t0 = System.nanoTime();
    for (Connection conn : connections) {
      Thread t = new Thread(() -> {
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO " + TABLE + " "
            + "(message_hash, event, change_type, message, fields) VALUES (?, ?, ?, ?, ?::jsonb) "
            + "ON CONFLICT (message_hash) DO NOTHING")) {
          for (int i = next.getAndIncrement(); i < rows.size() && failure.get() == null; i = next.getAndIncrement()) {
            Row row = rows.get(i);
            long start = System.nanoTime();
            st.setBytes(1, row.hash());
            st.setString(2, row.event());
            st.setString(3, row.changeType());
            st.setString(4, row.message());
            st.setString(5, row.fields());
            if (st.executeUpdate() != 1) {
              throw new IllegalStateException("row " + i + " was not inserted");
            }
            latencies[i] = System.nanoTime() - start;
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long walBytes;
    try (Connection db = server.connect()) {
      walBytes = Counters.read(db).walBytes() - walBefore;
    }
    for (Connection c : connections) {
      c.close();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    Side side = new Side(seconds, latencies, String.format(Locale.ROOT, "%,.0f bytes of WAL per callback",
        (double) walBytes / rows.size()));
    log("  single-row INSERT: %,.0f/s, median %.1f ms, p99 %.1f ms; %s", side.rate(), side.medianMs(), side.p99Ms(),
        side.detail());
    return side;
  }
}
