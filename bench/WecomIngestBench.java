import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.callback.WecomCrypt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * WeCom callback ingestion: how many encrypted callbacks a second Siyu stores durably (answered
 * {@code success} only once committed), and their p99 latency, against two references measured in
 * the same run on the same machine:
 *
 * <ul>
 *   <li><b>bare endpoint</b>: a Vert.x HTTP server in this JVM that reads the body and answers
 *       {@code success}, storing nothing — the HTTP and load generator's own cost;
 *   <li><b>single-row INSERT</b>: the same number of callbacks (decrypted XML, SHA-256, fields as
 *       jsonb) inserted into a table {@code LIKE wecom_callbacks INCLUDING ALL} on the server's
 *       PostgreSQL, one INSERT and commit each, over JDBC at the same concurrency — what a
 *       straightforward store-then-answer endpoint costs at the database.
 * </ul>
 *
 * <pre>java -cp target/siyu.jar bench/WecomIngestBench.java [--count N] [--concurrency C] [--rounds R] [--warmup W] [--keep]</pre>
 *
 * Each round runs the three sides one after another (their order rotates between rounds), each
 * after the cores are quiet and on N fresh, unique {@code change_external_contact /
 * add_external_contact} callbacks, encrypted and signed with the server's keys (untimed). The load
 * generator is C threads in this JVM, each with one keep-alive HTTP/1.1 connection on loopback,
 * sending the next request as soon as the last was answered. Siyu's processor runs during its
 * side (the change_external_contact handler makes each callback's contact, relation and event): its work is
 * inside the measurement, and the time until the round's callbacks are all done is reported.
 * Goals: Siyu rate ≥ 1.0 × the single-row INSERT rate (median of the rounds' ratios) and Siyu p99
 * < 50 ms.
 */
public final class WecomIngestBench {
  static final double RATE_GOAL = 1.0;
  static final double P99_GOAL_MS = 50;
  static final String CORP_ID = "ww-bench-corp";
  static final String TOKEN = "bench-token";

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Options o = Options.parse(args);
    Path work = Files.createTempDirectory("siyu-wbench-");
    Cleanup cleanup = new Cleanup(work, o.keep);
    Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, "wbench-cleanup"));
    int exit = 0;
    try {
      new WecomIngestBench(o).run(work, cleanup);
    } catch (Exception e) {
      cleanup.failed = true;
      System.err.println("BENCH FAILED: " + e);
      e.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  final Options o;
  final String aesKey = Base64.getEncoder().withoutPadding().encodeToString(SecureRandom.getSeed(32)).substring(0, 43)
      .replace('+', 'a').replace('/', 'b');
  final WecomCrypt crypt;
  final List<Round> rounds = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  String database = "?";

  WecomIngestBench(Options o) {
    this.o = o;
    this.crypt = new WecomCrypt(TOKEN, aesKey, CORP_ID);
  }

  record Side(double seconds, long[] latenciesNanos, String detail) {
    double rate() {
      return latenciesNanos.length / seconds;
    }

    double p99Ms() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
    }

    double medianMs() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2] / 1e6;
    }
  }

  record Round(int number, Side siyu, Side bare, Side insert) {
    double rateRatio() {
      return siyu.rate() / insert.rate();
    }
  }

  void run(Path work, Cleanup cleanup) throws Exception {
    Server server = Server.start(work, cleanup, Map.of(
        // callbacks only: no API secret, so the handler makes contacts, relations and events from the
        // callbacks alone and calls no WeCom API; no journeys, so nothing else runs
        "SIYU_WECOM_CORP_ID", CORP_ID, "SIYU_WECOM_TOKEN", TOKEN, "SIYU_WECOM_AES_KEY", aesKey,
        "SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("journeys")).toString()));
    Vertx vertx = Vertx.vertx();
    cleanup.onStop.add(() -> vertx.close());
    HttpServer bare = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("success")))
        .listen().toCompletionStage().toCompletableFuture().get();
    try (Connection db = server.connect()) {
      database = scalar(db, "SELECT version()").replaceAll(" on .*", "");
      try (Statement st = db.createStatement()) {
        st.execute("DROP TABLE IF EXISTS bench_wecom_inserts");
        st.execute("CREATE TABLE bench_wecom_inserts (LIKE wecom_callbacks INCLUDING ALL)");
      }
      log("bare endpoint on 127.0.0.1:%d, Siyu on %s, %,d callbacks per side and round, %d connections",
          bare.actualPort(), server.base, o.count, o.concurrency);
      for (int r = 0; r < o.warmup + o.rounds; r++) {
        boolean warm = r < o.warmup;
        String name = warm ? "warm-up " + (r + 1) : "round " + (r - o.warmup + 1);
        Side siyu = null;
        Side bareSide = null;
        Side insert = null;
        for (int k = 0; k < 3; k++) {
          int which = (k + r) % 3;
          awaitQuiet(name);
          // built after the wait, so the timestamps are fresh within Siyu's replay window (untimed)
          String tag = HexFormat.of().formatHex(SecureRandom.getSeed(4)) + "-" + r;
          if (which == 0) {
            siyu = siyuSide(db, server.port, "wm-siyu-" + tag + "-", requests(crypt, "wm-siyu-" + tag + "-", o.count));
          } else if (which == 1) {
            bareSide = httpSide(bare.actualPort(), requests(crypt, "wm-bare-" + tag + "-", o.count), "bare");
          } else {
            insert = insertSide(server, rows("wm-insert-" + tag + "-", o.count));
          }
        }
        log("%s: Siyu %,.0f/s p99 %.1f ms | bare %,.0f/s p99 %.1f ms | INSERT %,.0f/s p99 %.1f ms | Siyu/INSERT %.2f%s", name,
            siyu.rate(), siyu.p99Ms(), bareSide.rate(), bareSide.p99Ms(), insert.rate(), insert.p99Ms(),
            siyu.rate() / insert.rate(), warm ? " (not counted)" : "");
        if (!warm) {
          rounds.add(new Round(r - o.warmup + 1, siyu, bareSide, insert));
        }
        try (Statement st = db.createStatement()) {
          st.execute("TRUNCATE bench_wecom_inserts");
        }
      }
    }
    System.out.println();
    System.out.println(markdown());
  }

  /** Siyu's side: every request answered success means the callback is committed; then waits for the processor. */
  Side siyuSide(Connection db, int port, String users, List<byte[]> requests) throws Exception {
    long commitsBefore = commits(db);
    long walBefore = wal(db);
    Side http = httpSide(port, requests, "Siyu");
    long answeredAt = System.nanoTime();
    String prefix = users + "%";
    long stored = count(db, "SELECT count(*) FROM wecom_callbacks WHERE fields->>'ExternalUserID' LIKE ?", prefix);
    if (stored != o.count) {
      throw new IllegalStateException("Siyu answered success " + o.count + " times but stored " + stored);
    }
    int polls = 1;
    long deadline = answeredAt + TimeUnit.SECONDS.toNanos(120);
    while (count(db, "SELECT count(*) FROM wecom_callbacks WHERE status = 'done' AND fields->>'ExternalUserID' LIKE ?",
        prefix) < o.count) {
      polls++;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the processor did not mark the round's callbacks done within 120 s");
      }
      Thread.sleep(20);
    }
    double drained = (System.nanoTime() - answeredAt) / 1e9;
    long walBytes = wal(db) - walBefore;
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    long commits = commits(db) - commitsBefore - polls - 1;
    String detail = String.format(Locale.ROOT, "all %,d stored; all done %.2f s after the last answer; "
        + "%.2f commits and %,.0f bytes of WAL per callback (inbox batches, the processor's claims and outcomes)",
        o.count, drained, (double) commits / o.count, (double) walBytes / o.count);
    log("  Siyu: %,.0f/s, median %.1f ms, p99 %.1f ms; %s", http.rate(), http.medianMs(), http.p99Ms(), detail);
    return new Side(http.seconds(), http.latenciesNanos(), detail);
  }

  /** C keep-alive connections sending the requests back to back; each answer must be 200 "success". */
  Side httpSide(int port, List<byte[]> requests, String who) throws Exception {
    long[] latencies = new long[requests.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < o.concurrency; c++) {
      Thread t = new Thread(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          for (int i = next.getAndIncrement(); i < requests.size() && failure.get() == null; i = next.getAndIncrement()) {
            long start = System.nanoTime();
            out.write(requests.get(i));
            out.flush();
            String answer = readResponse(in);
            latencies[i] = System.nanoTime() - start;
            if (!answer.equals("200 success")) {
              throw new IllegalStateException(who + " answered " + answer);
            }
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
    if (failure.get() != null) {
      throw failure.get();
    }
    Side side = new Side(seconds, latencies, "");
    if (!who.equals("Siyu")) {
      log("  %s: %,.0f/s, median %.1f ms, p99 %.1f ms", who, side.rate(), side.medianMs(), side.p99Ms());
    }
    return side;
  }

  /** "status body" of one HTTP/1.1 response with a Content-Length. */
  static String readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = -1;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length in the answer " + status);
    }
    byte[] body = in.readNBytes(length);
    return status.split(" ")[1] + " " + new String(body, StandardCharsets.UTF_8);
  }

  static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** C JDBC connections, each inserting and committing one callback at a time. */
  Side insertSide(Server server, List<Row> rows) throws Exception {
    long[] latencies = new long[rows.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < o.concurrency; c++) {
      connections.add(server.connect());
    }
    List<Thread> threads = new ArrayList<>();
    long walBefore;
    try (Connection db = server.connect()) {
      walBefore = wal(db);
    }
    long t0 = System.nanoTime();
    for (Connection conn : connections) {
      Thread t = new Thread(() -> {
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO bench_wecom_inserts "
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
      walBytes = wal(db) - walBefore;
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

  record Row(byte[] hash, String event, String changeType, String message, String fields) {}

  /** N unique callbacks about new external contacts {@code users + i}, encrypted, signed now and framed as HTTP requests. */
  static List<byte[]> requests(WecomCrypt crypt, String users, int n) {
    long ts = System.currentTimeMillis() / 1000;
    List<byte[]> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String encrypted = crypt.encrypt(message(users + i, ts));
      String nonce = Integer.toString(1_000_000 + i);
      byte[] body = ("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
          + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>").getBytes(StandardCharsets.UTF_8);
      byte[] head = ("POST /webhooks/wecom?msg_signature=" + crypt.signature(Long.toString(ts), nonce, encrypted)
          + "&timestamp=" + ts + "&nonce=" + nonce + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] request = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, request, head.length, body.length);
      requests.add(request);
    }
    return requests;
  }

  /** The same callbacks as rows of the inbox, decrypted and parsed already: what the INSERT side stores. */
  static List<Row> rows(String users, int n) throws Exception {
    long ts = System.currentTimeMillis() / 1000;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String plain = message(users + i, ts);
      WecomCallback parsed = WecomCallback.parse(plain);
      rows.add(new Row(sha.digest(plain.getBytes(StandardCharsets.UTF_8)), parsed.event(), parsed.changeType(), plain,
          parsed.fields().encode()));
    }
    return rows;
  }

  /** A new external contact, as WeCom's customer contact callback announces it. */
  static String message(String externalUserId, long ts) {
    return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + "<CreateTime>" + ts + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
        + "<UserID><![CDATA[staff" + Math.floorMod(externalUserId.hashCode(), 50) + "]]></UserID>"
        + "<ExternalUserID><![CDATA[" + externalUserId + "]]></ExternalUserID>"
        + "<State><![CDATA[bench]]></State><WelcomeCode><![CDATA[WELCOME-" + externalUserId + "]]></WelcomeCode></xml>";
  }

  // ---------------------------------------------------------------------------------------------
  // the machine

  /** Waits (at most 3 minutes) until the cores are less than 40% busy over 2 s: the machine is shared. */
  void awaitQuiet(String part) throws InterruptedException {
    long t0 = System.nanoTime();
    double busy = cpuBusy();
    while (busy > 0.4 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(3)) {
      busy = cpuBusy();
    }
    double waited = (System.nanoTime() - t0) / 1e9;
    if (waited > 5) {
      notes.add(String.format(Locale.ROOT, "waited %.0f s for quiet cores before a part of %s", waited, part));
    }
    if (busy > 0.4) {
      notes.add(String.format(Locale.ROOT, "%s ran with the cores %.0f%% busy beforehand", part, busy * 100));
    }
  }

  static double cpuBusy() throws InterruptedException {
    long[] a = cpuTimes();
    Thread.sleep(2000);
    long[] b = cpuTimes();
    long total = b[0] - a[0];
    return a[0] == 0 || total <= 0 ? 0 : (double) (b[1] - a[1]) / total;
  }

  static long[] cpuTimes() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total, total - idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static long commits(Connection db) throws SQLException {
    return Long.parseLong(scalar(db, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"));
  }

  static long wal(Connection db) throws SQLException {
    return Long.parseLong(scalar(db, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"));
  }

  static long count(Connection db, String sql, String param) throws SQLException {
    try (PreparedStatement st = db.prepareStatement(sql)) {
      st.setString(1, param);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static String scalar(Connection db, String sql) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static void log(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  // ---------------------------------------------------------------------------------------------
  // report

  String markdown() {
    double ratio = median(rounds.stream().map(Round::rateRatio).toList());
    double p99 = median(rounds.stream().map(r -> r.siyu().p99Ms()).toList());
    StringBuilder md = new StringBuilder("----- paste into bench/RESULTS.md -----\n");
    md.append("### ").append(LocalDate.now(java.time.ZoneOffset.UTC)).append(" — WeCom callback ingestion\n\n");
    md.append("- command: `java -cp target/siyu.jar bench/WecomIngestBench.java").append(o.given.isEmpty() ? "" : " ")
        .append(String.join(" ", o.given)).append("` (").append(o.settings()).append(")\n");
    md.append("- commit: ").append(gitDescribe()).append("\n");
    md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(", Java ").append(System.getProperty("java.version")).append("\n");
    md.append("- database: ").append(database).append(" (embedded)\n\n");
    md.append("| round | Siyu | bare endpoint | single-row INSERT | Siyu / INSERT rate |\n|---|---|---|---|---|\n");
    for (Round r : rounds) {
      md.append(String.format(Locale.ROOT, "| %d | %,.0f/s, p99 %.1f ms | %,.0f/s, p99 %.1f ms | %,.0f/s, p99 %.1f ms | %.2f |\n",
          r.number(), r.siyu().rate(), r.siyu().p99Ms(), r.bare().rate(), r.bare().p99Ms(), r.insert().rate(),
          r.insert().p99Ms(), r.rateRatio()));
    }
    md.append("\n| goal | measured (median of ").append(rounds.size()).append(" rounds) | goal | result |\n|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| durable callbacks/s, Siyu ÷ single-row INSERT | %.2f | ≥ %.1f | %s |\n",
        ratio, RATE_GOAL, ratio >= RATE_GOAL ? "pass" : "FAIL"));
    md.append(String.format(Locale.ROOT, "| Siyu p99 latency | %.1f ms | < %.0f ms | %s |\n", p99, P99_GOAL_MS,
        p99 < P99_GOAL_MS ? "pass" : "FAIL"));
    md.append('\n');
    for (Round r : rounds) {
      md.append("Round ").append(r.number()).append(", Siyu: ").append(r.siyu().detail()).append("; single-row INSERT: ")
          .append(r.insert().detail()).append(".\n");
    }
    for (String n : notes) {
      md.append("Note: ").append(n).append(".\n");
    }
    return md.append("----- end -----").toString();
  }

  static String gitDescribe() {
    try {
      Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && !out.isEmpty() ? "`" + out + "`" : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the server under test, started from the jar this harness runs with

  static final class Server {
    final String base;
    final int port;
    final int dbPort;

    Server(String base, int port, int dbPort) {
      this.base = base;
      this.port = port;
      this.dbPort = dbPort;
    }

    static Server start(Path work, Cleanup cleanup, Map<String, String> extraEnv) throws Exception {
      int httpPort = freePort();
      int dbPort = freePort();
      Path data = Files.createDirectories(work.resolve("data"));
      Path log = work.resolve("server.log");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          serverJar().toString());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("SIYU_"));
      env.put("SIYU_HTTP_PORT", Integer.toString(httpPort));
      env.put("SIYU_HTTP_HOST", "127.0.0.1");
      env.put("SIYU_DATA_DIR", data.toString());
      env.put("SIYU_EMBEDDED_DB_PORT", Integer.toString(dbPort));
      env.put("SIYU_ADMIN_TOKEN", "bench-" + HexFormat.of().formatHex(SecureRandom.getSeed(16)));
      env.putAll(extraEnv);
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      log("starting the server: %s (log: %s)", String.join(" ", pb.command()), log);
      Process child = pb.start();
      cleanup.child = child;
      cleanup.serverLog = log;
      String base = "http://127.0.0.1:" + httpPort;
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        if (!child.isAlive()) {
          throw new IllegalStateException("the server exited with code " + child.exitValue());
        }
        try {
          if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("GET /health did not answer 200 within 120 s");
        }
        Thread.sleep(250);
      }
      log("server healthy at %s", base);
      return new Server(base, httpPort, dbPort);
    }

    Connection connect() throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", "postgres");
      p.setProperty("ApplicationName", "siyu-wbench");
      return DriverManager.getConnection("jdbc:postgresql://localhost:" + dbPort + "/postgres", p);
    }

    static Path serverJar() {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
          return Path.of(entry).toAbsolutePath();
        }
      }
      throw new IllegalStateException("no server jar on the classpath; run with -cp target/siyu.jar");
    }

    static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s.getLocalPort();
      }
    }
  }

  /** Stops the server (SIGTERM: it stops its PostgreSQL) and removes the temp dir, also on failure or Ctrl-C. */
  static final class Cleanup {
    final Path work;
    final boolean keep;
    final List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile Process child;
    volatile Path serverLog;
    volatile boolean failed;

    Cleanup(Path work, boolean keep) {
      this.work = work;
      this.keep = keep;
    }

    void run() {
      onStop.forEach(r -> {
        try {
          r.run();
        } catch (RuntimeException ignored) {
          // stopping anyway
        }
      });
      Process p = child;
      if (p != null && p.isAlive()) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      }
      if (failed && serverLog != null && Files.exists(serverLog)) {
        try {
          Path saved = Files.createTempFile("siyu-wbench-server-", ".log");
          Files.copy(serverLog, saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          System.err.println("server log: " + saved);
        } catch (IOException e) {
          System.err.println("could not keep the server log: " + e);
        }
      }
      if (keep) {
        System.err.println("kept " + work);
        return;
      }
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not remove " + work + ": " + e);
      }
    }
  }

  static final class Options {
    int count = 30_000;
    int concurrency = 32;
    int rounds = 5;
    /** The JIT needs about two rounds before Siyu's numbers settle. */
    int warmup = 2;
    boolean keep;
    final List<String> given = new ArrayList<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--keep")) {
          o.keep = true;
          o.given.add(a);
          continue;
        }
        if (i + 1 >= args.length) {
          usage("missing value for " + a);
        }
        int v;
        try {
          v = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          usage(a + " takes a whole number");
          return o;
        }
        switch (a) {
          case "--count" -> o.count = v;
          case "--concurrency" -> o.concurrency = v;
          case "--rounds" -> o.rounds = v;
          case "--warmup" -> o.warmup = v;
          default -> usage("unknown option " + a);
        }
        if (v < (a.equals("--warmup") ? 0 : 1)) {
          usage(a + " must be positive");
        }
        o.given.add(a + " " + v);
      }
      return o;
    }

    String settings() {
      return "--count " + count + " --concurrency " + concurrency + " --rounds " + rounds + " --warmup " + warmup;
    }

    static void usage(String error) {
      System.err.println("error: " + error);
      System.err.println("usage: java -cp target/siyu.jar bench/WecomIngestBench.java [--count N] [--concurrency C] "
          + "[--rounds R] [--warmup W] [--keep]");
      System.exit(64);
    }
  }
}
