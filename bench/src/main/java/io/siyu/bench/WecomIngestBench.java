package io.siyu.bench;

import static io.siyu.bench.Out.log;
import static io.siyu.bench.Sql.scalar;
import static io.siyu.bench.Stats.midpoint;

import io.siyu.bench.Sql.Counters;
import io.siyu.bench.WecomLoad.Side;
import io.siyu.wecom.callback.WecomCrypt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * WeCom callback ingestion: how many encrypted callbacks a second Siyu stores durably (answered
 * {@code success} only once committed), their p99 latency, and how many it stores <em>and
 * handles</em> a second until the last is handled, against references measured in the same run
 * on the same machine:
 *
 * <ul>
 *   <li><b>bare endpoint</b>: a Vert.x HTTP server in this JVM that reads the body and answers
 *       {@code success}, storing nothing — the HTTP and load generator's own cost;
 *   <li><b>single-row INSERT</b> ({@link SingleRowInserts}): one INSERT and commit per callback at
 *       the same concurrency — what a straightforward store-then-answer endpoint costs;
 *   <li><b>hand-written</b> ({@link HandWrittenInbox}): group commit (multi-row INSERTs, one writer)
 *       and batched handlers making the same upserts as Siyu's handler, over JDBC.
 * </ul>
 *
 * <pre>bench/run.sh WecomIngestBench [--count N] [--concurrency C] [--rounds R] [--warmup W] [--keep]</pre>
 *
 * Each round runs the four sides one after another (their order rotates between rounds), each
 * after the machine is quiet and on N fresh, unique callbacks (untimed to make). Goals: Siyu's
 * durable rate ≥ 1.0 × single-row INSERTs, its end-to-end rate ≥ 0.5 × the hand-written one,
 * both on the median of the rounds' ratios, and Siyu's p99 < 50 ms.
 */
public final class WecomIngestBench {
  static final double RATE_GOAL = 1.0;
  static final double HANDLED_GOAL = 0.5;
  static final double P99_GOAL_MS = 50;

  public static void main(String[] args) {
    Options o = Program.options(args, Options::parse, Options.USAGE, x -> false);
    if (o != null) {
      Program.run("wbench", o.keep, new WecomIngestBench(o)::measure);
    }
  }

  private final Options o;
  private final String aesKey = Base64.getEncoder().withoutPadding().encodeToString(SecureRandom.getSeed(32))
      .substring(0, 43).replace('+', 'a').replace('/', 'b');
  private final WecomCrypt crypt = new WecomCrypt(WecomLoad.TOKEN, aesKey, WecomLoad.CORP_ID);
  private final List<Round> rounds = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String database = "?";
  private String memory;

  WecomIngestBench(Options o) {
    this.o = o;
  }

  /** A round's sides; the hand-written one answered (group commit) and handled everything in {@code handledSeconds}. */
  record Round(int number, Side siyu, double siyuHandledSeconds, Side bare, Side insert, Side group,
      double groupHandledSeconds) {
    double rateRatio() {
      return siyu.rate() / insert.rate();
    }

    double groupRatio() {
      return siyu.rate() / group.rate();
    }

    /** End to end: callbacks stored and handled per second, Siyu over the hand-written reference. */
    double handledRatio() {
      return groupHandledSeconds / siyuHandledSeconds;
    }
  }

  private String measure(Path work, Cleanup cleanup) throws Exception {
    Server server = Server.start(work, cleanup, Map.of(
        // callbacks only: no API secret, so the handler makes contacts, relations and events from the
        // callbacks alone and calls no WeCom API; no journeys, so nothing else runs
        "SIYU_WECOM_CORP_ID", WecomLoad.CORP_ID, "SIYU_WECOM_TOKEN", WecomLoad.TOKEN, "SIYU_WECOM_AES_KEY", aesKey,
        "SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("journeys")).toString()));
    PeakMemory peak = PeakMemory.watch(server);
    Vertx vertx = Vertx.vertx();
    cleanup.onStop(vertx::close);
    HttpServer bare = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("success")))
        .listen().toCompletionStage().toCompletableFuture().get();
    Quiet quiet = new Quiet(notes, o.quietMinutes);
    try (Connection db = server.connect()) {
      database = scalar(db, "SELECT version()").replaceAll(" on .*", "");
      Sql.execute(db, "CREATE TABLE " + SingleRowInserts.TABLE + " (LIKE wecom_callbacks INCLUDING ALL)",
          "CREATE TABLE " + HandWrittenInbox.TABLE + " (LIKE wecom_callbacks INCLUDING ALL)");
      log("bare endpoint on 127.0.0.1:%d, Siyu on %s, %,d callbacks per side and round, %d connections",
          bare.actualPort(), server.baseUrl(), o.count, o.concurrency);
      for (int r = 0; r < o.warmup + o.rounds; r++) {
        round(server, db, bare.actualPort(), quiet, r);
      }
    }
    memory = peak.summary();
    return markdown();
  }

  private void round(Server server, Connection db, int barePort, Quiet quiet, int r) throws Exception {
    boolean warm = r < o.warmup;
    String name = warm ? "warm-up " + (r + 1) : "round " + (r - o.warmup + 1);
    Side[] sides = new Side[4];
    double siyuHandled = 0;
    double groupHandled = 0;
    for (int k = 0; k < 4; k++) {
      int which = (k + r) % 4;
      quiet.await(db, name + " of WeCom ingest");
      // made after the wait, so the timestamps are fresh within Siyu's replay window (untimed)
      String tag = HexFormat.of().formatHex(SecureRandom.getSeed(4)) + "-" + r;
      if (which == 0) {
        String users = "wm-siyu-" + tag + "-";
        sides[0] = siyuSide(db, server.httpPort(), users, WecomLoad.requests(crypt, users, o.count));
        siyuHandled = siyuHandledSeconds;
      } else if (which == 1) {
        sides[1] = WecomLoad.http(barePort, o.concurrency, WecomLoad.requests(crypt, "wm-bare-" + tag + "-", o.count), "bare");
      } else if (which == 2) {
        sides[2] = SingleRowInserts.run(server, o.concurrency, WecomLoad.rows("wm-insert-" + tag + "-", o.count));
      } else {
        String users = "wm-hand-" + tag + "-";
        HandWrittenInbox.Result hand = HandWrittenInbox.run(server, o.concurrency, WecomLoad.rows(users, o.count));
        HandWrittenInbox.check(db, users, o.count);
        sides[3] = hand.store();
        groupHandled = hand.handledSeconds();
      }
    }
    Round round = new Round(r - o.warmup + 1, sides[0], siyuHandled, sides[1], sides[2], sides[3], groupHandled);
    log("%s: Siyu %,.0f/s p99 %.1f ms, handled %,.0f/s | bare %,.0f/s | INSERT %,.0f/s | group commit %,.0f/s p99 %.1f ms, "
            + "handled %,.0f/s | Siyu/INSERT %.2f, Siyu/group %.2f, handled Siyu/hand-written %.2f%s", name,
        round.siyu().rate(), round.siyu().p99Ms(), o.count / siyuHandled, round.bare().rate(), round.insert().rate(),
        round.group().rate(), round.group().p99Ms(), o.count / groupHandled, round.rateRatio(), round.groupRatio(),
        round.handledRatio(), warm ? " (not counted)" : "");
    if (!warm) {
      rounds.add(round);
    }
    Sql.execute(db, "TRUNCATE " + SingleRowInserts.TABLE);
  }

  /** Set by siyuSide: seconds from the first request until the last callback of the side was handled. */
  private double siyuHandledSeconds;

  /**
   * Siyu's side: every request answered success means the callback is committed; then, polling
   * every 20 ms, until the processor has handled every one; the handled time runs from the first
   * request to the poll that saw the last. The polls must cost the server next to nothing, as the
   * reference counts its handled callbacks in memory: they read the inbox's partial index of pending
   * callbacks (only this side's are pending) instead of scanning every callback of every round, a
   * scan that grew with each round and took a core from the handlers. What they saw is checked
   * after the clock stopped: every callback of the side stored once and done.
   */
  private Side siyuSide(Connection db, int port, String users, List<byte[]> requests) throws Exception {
    long lastBefore = Sql.count(db, "SELECT coalesce(max(id), 0) FROM wecom_callbacks");
    Counters before = Counters.read(db);
    long t0 = System.nanoTime();
    Side http = WecomLoad.http(port, o.concurrency, requests, "Siyu");
    long answeredAt = System.nanoTime();
    int polls = 0;
    long deadline = answeredAt + TimeUnit.SECONDS.toNanos(300);
    do {
      polls++;
      if (System.nanoTime() > deadline) {
        throw new BenchFailure("the processor did not handle the round's callbacks within 300 s");
      }
      Thread.sleep(polls == 1 ? 0 : 20);
    } while (Sql.count(db, "SELECT count(*) FROM wecom_callbacks WHERE status = 'pending' AND id > ?", lastBefore) > 0);
    long handledAt = System.nanoTime();
    siyuHandledSeconds = (handledAt - t0) / 1e9;
    Counters used = Counters.read(db).minus(before);
    String prefix = users + "%";
    long stored = Sql.count(db, "SELECT count(*) FROM wecom_callbacks WHERE id > ? AND fields->>'ExternalUserID' LIKE ?",
        lastBefore, prefix);
    long done = Sql.count(db, "SELECT count(*) FROM wecom_callbacks WHERE id > ? AND status = 'done'", lastBefore);
    if (stored != o.count || done != o.count) {
      throw new BenchFailure("Siyu answered success " + o.count + " times, stored " + stored + " and handled " + done);
    }
    checkHandled(db, users);
    Thread.sleep(1500); // PostgreSQL publishes transaction counts within a second
    long commits = Counters.read(db).commits() - before.commits() - polls - 5;
    String detail = String.format(Locale.ROOT, "all %,d stored; all handled %.2f s after the last answer (%,.0f/s end to end); "
        + "%.2f commits and %,.0f bytes of WAL per callback (inbox batches, the processor's claims and outcomes)",
        o.count, (handledAt - answeredAt) / 1e9, o.count / siyuHandledSeconds, (double) commits / o.count,
        (double) used.walBytes() / o.count);
    log("  Siyu: %,.0f/s, median %.1f ms, p99 %.1f ms; %s", http.rate(), http.medianMs(), http.p99Ms(), detail);
    return new Side(http.seconds(), http.latenciesNanos(), detail);
  }

  /** The handler did what the hand-written reference does: a contact and a wecom.contact_added event per callback. */
  private void checkHandled(Connection db, String users) throws Exception {
    String like = users + "%";
    long contacts = Sql.count(db, "SELECT count(*) FROM contacts WHERE external_userid LIKE ?", like);
    long events = Sql.count(db, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
        + "WHERE c.external_userid LIKE ? AND e.type = 'wecom.contact_added'", like);
    if (contacts != o.count || events != o.count) {
      throw new BenchFailure("Siyu handled " + o.count + " callbacks into " + contacts + " contacts and " + events + " events");
    }
  }

  private double median(ToDoubleFunction<Round> f) {
    return midpoint(rounds.stream().map(f::applyAsDouble).toList());
  }

  private String markdown() {
    double ratio = median(Round::rateRatio);
    double handled = median(Round::handledRatio);
    double p99 = median(r -> r.siyu().p99Ms());
    StringBuilder md = new StringBuilder();
    md.append("### ").append(LocalDate.now(ZoneOffset.UTC)).append(" — WeCom callback ingestion\n\n");
    md.append("- command: `").append(Out.command("WecomIngestBench", String.join(" ", o.given))).append("` (")
        .append(o.settings()).append(")\n");
    md.append(Out.commitAndMachine());
    md.append("- database: ").append(database).append(" (embedded)\n\n");
    md.append("| round | Siyu answers | Siyu handled | bare endpoint | single-row INSERT | hand-written: group commit | "
        + "hand-written: handled | Siyu / INSERT | Siyu / group commit | handled, Siyu / hand-written |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (Round r : rounds) {
      md.append(String.format(Locale.ROOT, "| %d | %,.0f/s, p99 %.1f ms | %,.0f/s | %,.0f/s, p99 %.1f ms | %,.0f/s, p99 %.1f ms "
              + "| %,.0f/s, p99 %.1f ms | %,.0f/s | %.2f | %.2f | %.2f |\n",
          r.number(), r.siyu().rate(), r.siyu().p99Ms(), o.count / r.siyuHandledSeconds(), r.bare().rate(), r.bare().p99Ms(),
          r.insert().rate(), r.insert().p99Ms(), r.group().rate(), r.group().p99Ms(), o.count / r.groupHandledSeconds(),
          r.rateRatio(), r.groupRatio(), r.handledRatio()));
    }
    md.append("\n| goal | measured (median of ").append(rounds.size()).append(" rounds) | goal | result |\n|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| durable callbacks/s, Siyu ÷ single-row INSERT | %.2f | ≥ %.1f | %s |\n",
        ratio, RATE_GOAL, ratio >= RATE_GOAL ? "pass" : "FAIL"));
    md.append(String.format(Locale.ROOT, "| durable callbacks/s, Siyu ÷ hand-written group commit | %.2f | (reference) | — |\n",
        median(Round::groupRatio)));
    md.append(String.format(Locale.ROOT, "| callbacks stored and handled/s, Siyu ÷ hand-written batched SQL | %.2f | ≥ %.1f | %s |\n",
        handled, HANDLED_GOAL, handled >= HANDLED_GOAL ? "pass" : "FAIL"));
    md.append(String.format(Locale.ROOT, "| Siyu p99 latency | %.1f ms | < %.0f ms | %s |\n", p99, P99_GOAL_MS,
        p99 < P99_GOAL_MS ? "pass" : "FAIL"));
    md.append('\n');
    for (Round r : rounds) {
      md.append("Round ").append(r.number()).append(", Siyu: ").append(r.siyu().detail()).append("; single-row INSERT: ")
          .append(r.insert().detail()).append("; hand-written: ").append(r.group().detail()).append(".\n");
    }
    md.append("Peak memory over the run: ").append(memory).append(".\n");
    for (String n : notes) {
      md.append("Note: ").append(n).append(".\n");
    }
    return Program.block(md.toString());
  }

  static final class Options {
    static final String USAGE = """
        usage: bench/run.sh WecomIngestBench [--count N] [--concurrency C] [--rounds R] [--warmup W] [--quiet-minutes Q] [--keep]

          --count N        callbacks per side and round (default 30000)
          --concurrency C  connections of the load generator, and of the single-row INSERTs (default 32)
          --rounds R       timed rounds (default 5)
          --warmup W       untimed rounds first (default 2: the JIT needs about two before Siyu settles)
          --quiet-minutes Q  wait at most Q minutes for a quiet machine before each side (default 10)
          --keep           keep the temp dir (server log, embedded database)
        """;

    int count = 30_000;
    int concurrency = 32;
    int rounds = 5;
    int warmup = 2;
    int quietMinutes = 10;
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
        String v = Args.value(args, ++i, a);
        switch (a) {
          case "--count" -> o.count = Args.positive(a, v);
          case "--concurrency" -> o.concurrency = Args.positive(a, v);
          case "--rounds" -> o.rounds = Args.positive(a, v);
          case "--warmup" -> o.warmup = v.equals("0") ? 0 : Args.positive(a, v);
          case "--quiet-minutes" -> o.quietMinutes = Args.positive(a, v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
        o.given.add(a + " " + v);
      }
      return o;
    }

    String settings() {
      return "--count " + count + " --concurrency " + concurrency + " --rounds " + rounds + " --warmup " + warmup;
    }
  }
}
