package io.siyu.bench;

import static io.siyu.bench.Out.log;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.siyu.journey.JourneyEngine;
import io.siyu.journey.palette.Palette;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Camunda with the configuration Siyu's JourneyEngine uses (activity history, UUID ids, the same
 * job executor settings) on its own database of the same PostgreSQL server, so Siyu's job executor
 * never sees its jobs, and with no-op beans under the palette's names: the engine's share of a
 * journey and nothing else. The one exception to "no-op": the send step notes, once its
 * transaction has committed, that a welcome instance has sent its last touch and so ended.
 */
public final class BareEngine implements AutoCloseable {
  /** The bare engine's database, created on the server's PostgreSQL next to Siyu's own. */
  static final String DATABASE = "bench_bare";
  /** Starts per engine transaction in {@link #startInChunks}: as many as Siyu's scan enters in one (JourneyEntries.CHUNK). */
  static final int CHUNK = 50;

  private final HikariDataSource pool;
  private final ProcessEngine engine;
  private final LastTouch lastTouch;
  private final StandaloneProcessEngineConfiguration configuration;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BareEngine(HikariDataSource pool, ProcessEngine engine, LastTouch lastTouch,
      StandaloneProcessEngineConfiguration configuration) {
    this.pool = pool;
    this.engine = engine;
    this.lastTouch = lastTouch;
    this.configuration = configuration;
  }

  static BareEngine start(Server target, long acquisitionMs) throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(target.jdbcUrl(DATABASE));
    hc.setUsername("postgres");
    // Siyu's JDBC pool: half of SIYU_DB_POOL_SIZE (16), at least 2
    hc.setMaximumPoolSize(8);
    hc.setMinimumIdle(1);
    hc.setPoolName("bench-bare");
    HikariDataSource pool = new HikariDataSource(hc);
    LastTouch lastTouch = new LastTouch();
    StandaloneProcessEngineConfiguration c = JourneyEngine.configuration(pool, "bench-bare", beans(lastTouch),
        acquisitionMs, true);
    // the engine creates its own tables here (Siyu's come from a migration)
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    ProcessEngine engine = c.buildProcessEngine();
    log("bare engine up on database %s in %.1f s (job acquisition max wait %d ms)", DATABASE,
        (System.nanoTime() - t0) / 1e9, acquisitionMs);
    return new BareEngine(pool, engine, lastTouch, c);
  }

  /** Every palette task a no-op; the send-window timer's bean says "open now". */
  private static Map<Object, Object> beans(LastTouch lastTouch) {
    Map<Object, Object> beans = new HashMap<>();
    JavaDelegate noop = execution -> { };
    Palette.TASKS.keySet().forEach(name -> beans.put(name, noop));
    beans.put("sendMessage", lastTouch);
    beans.put("sendWindow", new AlwaysOpen());
    return beans;
  }

  void deploy(String key, String xml) {
    engine.getRepositoryService().createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
  }

  /** Starts n instances of {@code key} (business keys prefix + i) from {@code threads} threads; returns when all have. */
  void startAll(String key, String prefix, int n, int threads, IntFunction<Map<String, Object>> variables) throws Exception {
    RuntimeService runtime = engine.getRuntimeService();
    Parallel.run(n, threads, i -> runtime.startProcessInstanceByKey(key, prefix + i, variables.apply(i)));
  }

  /**
   * Starts n instances of {@code key} one after another on this thread, {@value #CHUNK} per engine
   * transaction (one commit for each chunk), as Siyu's scan enters contacts: the nested service
   * calls join the command's transaction, as in JourneyEntries.enterMany.
   */
  void startInChunks(String key, String prefix, int n, IntFunction<Map<String, Object>> variables) {
    RuntimeService runtime = engine.getRuntimeService();
    for (int from = 0; from < n; from += CHUNK) {
      int first = from;
      int last = Math.min(n, from + CHUNK);
      configuration.getCommandExecutorTxRequired().execute(ctx -> {
        for (int i = first; i < last; i++) {
          runtime.startProcessInstanceByKey(key, prefix + i, variables.apply(i));
        }
        return null;
      });
    }
  }

  void expectEnds(int n) {
    lastTouch.expect(n);
  }

  boolean awaitEnds(long time, TimeUnit unit) throws InterruptedException {
    return lastTouch.done.await(time, unit);
  }

  int ended() {
    return lastTouch.count.get();
  }

  long endedNanos() {
    return lastTouch.doneNanos;
  }

  /** Untimed check and diagnosis: every instance of the round has ended; when the last did, and the median run. */
  String history(String prefix, int n, Instant t0) throws SQLException {
    // Camunda writes timestamps without zone in the JVM's zone: compare them in the same zone
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT count(*) FILTER (WHERE end_time_ IS NOT NULL), max(end_time_), "
            + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM end_time_ - start_time_)) "
            + "FROM act_hi_procinst WHERE business_key_ LIKE ?")) {
      st.setString(1, prefix + "%");
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != n) {
          throw new BenchFailure("the bare engine ended " + rs.getLong(1) + " of " + n + " instances");
        }
        double last = (rs.getTimestamp(2).getTime() - t0.toEpochMilli()) / 1e3;
        return String.format(Locale.ROOT, "ended by +%.1f s (median instance start→end %.2f s)", last, rs.getDouble(3));
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // closed at the end of the run, and again by the shutdown hook
    }
    try {
      engine.close();
    } finally {
      pool.close();
    }
  }

  /** No-op send; for the welcome's last touch it counts the instance as ended once its transaction commits. */
  public static final class LastTouch implements JavaDelegate {
    final AtomicInteger count = new AtomicInteger();
    volatile int expected;
    volatile CountDownLatch done = new CountDownLatch(0);
    volatile long doneNanos;

    void expect(int n) {
      count.set(0);
      expected = n;
      done = new CountDownLatch(1);
    }

    @Override
    public void execute(DelegateExecution execution) {
      // the send step runs in the same transaction as the instance's end: its commit is the end
      if ("welcome_day7".equals(execution.getVariableLocal("template"))) {
        Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED, ctx -> {
          if (count.incrementAndGet() == expected) {
            doneNanos = System.nanoTime();
            done.countDown();
          }
        });
      }
    }
  }

  /** The send-window wait's bean: {@code ${sendWindow.opens(execution)}}, always open. */
  public static final class AlwaysOpen {
    public Date opens(DelegateExecution execution) {
      return ClockUtil.getCurrentTime();
    }
  }
}
