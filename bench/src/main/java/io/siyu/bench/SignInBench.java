package io.siyu.bench;

import static io.siyu.bench.Out.log;

import io.siyu.user.Passwords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * People signing in: what one password hash costs, and whether the server still answers
 * {@code /health} promptly while many sign-ins are being hashed at once (hashing must stay off the
 * event loop and leave the loops a core).
 *
 * <pre>bench/run.sh SignInBench [--signers N] [--seconds S] [--rounds R] [--quiet-minutes Q] [--keep]</pre>
 *
 * <ul>
 *   <li><b>hash</b>: Siyu's own {@code Passwords.hashNow} (Argon2id with the server's parameters) timed
 *       20 times in this JVM after 3 untimed, median, min and max; and 20 sign-ins one after another
 *       through HTTP (hash, session and SQL), median; each after waiting for a quiet machine.
 *   <li><b>/health under sign-ins</b>: one client asks {@code GET /health} every 10 ms for S seconds
 *       with no sign-ins (idle), then again while N clients sign in, each again as soon as answered
 *       (loaded); each round does both, after waiting for a quiet machine. p50 and p99 over all
 *       rounds' requests of each kind.
 * </ul>
 *
 * Goals: one hash 50–250 ms; loaded /health p99 within 50 ms.
 */
public final class SignInBench {
  static final double HASH_MIN_MS = 50;
  static final double HASH_MAX_MS = 250;
  static final double P99_GOAL_MS = 50;
  private static final String PASSWORD = "bench sign-in passphrase";

  public static void main(String[] args) {
    Options o = Program.options(args, Options::parse, Options.USAGE, x -> false);
    if (o != null) {
      Program.run("signin", o.keep, new SignInBench(o)::measure);
    }
  }

  private final Options o;
  private final List<String> notes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  SignInBench(Options o) {
    this.o = o;
  }

  /** Latencies of one kind of request, in ms. */
  private record Sample(List<Double> ms) {
    double p50() {
      return Stats.percentile(ms, 0.50);
    }

    double p99() {
      return Stats.percentile(ms, 0.99);
    }
  }

  private String measure(Path work, Cleanup cleanup) throws Exception {
    Server server = Server.start(work, cleanup, Map.of(
        "SIYU_JOURNEYS_DIR", Files.createDirectories(work.resolve("journeys")).toString()));
    PeakMemory peak = PeakMemory.watch(server);
    Api api = new Api(server);
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < o.signers; i++) {
      String email = "signer" + i + "@bench.example.com";
      api.post("/api/v1/users", Out.json(Map.of("email", email, "display_name", "Signer " + i, "role", "operator",
          "password", PASSWORD)), 201);
      emails.add(email);
    }
    Quiet quiet = new Quiet(notes, o.quietMinutes);
    List<Double> hashes;
    List<Double> sequential = new ArrayList<>();
    List<Double> idle = new ArrayList<>();
    List<Double> loaded = new ArrayList<>();
    List<Double> signIns = new ArrayList<>();
    String database;
    try (Connection db = server.connect()) {
      database = Sql.scalar(db, "SELECT version()").replaceAll(" on .*", "");
      quiet.await(db, "the hash timing");
      hashes = hashTimes();
      log("one hash in this JVM: median %.0f ms (min %.0f, max %.0f)", Stats.median(hashes), Collections.min(hashes),
          Collections.max(hashes));
      quiet.await(db, "the sign-ins one at a time");
      for (int i = 0; i < 20; i++) {
        sequential.add(signIn(server, emails.get(i % emails.size())));
      }
      log("20 sign-ins one after another: median %.0f ms", Stats.median(sequential));
      for (int r = 1; r <= o.rounds; r++) {
        quiet.await(db, "round " + r + " (idle)");
        Sample a = new Sample(probe(server));
        idle.addAll(a.ms());
        quiet.await(db, "round " + r + " (sign-ins)");
        List<Double> theirs = Collections.synchronizedList(new ArrayList<>());
        Sample b = new Sample(underSignIns(server, emails, theirs));
        loaded.addAll(b.ms());
        signIns.addAll(theirs);
        log("round %d: /health idle p50 %.1f ms p99 %.1f ms | during %d sign-ins p50 %.1f ms p99 %.1f ms "
                + "(%d sign-ins in %d s, median %.0f ms each)", r, a.p50(), a.p99(), o.signers, b.p50(), b.p99(),
            theirs.size(), o.seconds, Stats.median(theirs));
      }
    }
    return markdown(hashes, sequential, new Sample(idle), new Sample(loaded), signIns, database, peak.summary());
  }

  /** Siyu's hash, in this JVM, 3 untimed then 20 timed. */
  private static List<Double> hashTimes() {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      long t0 = System.nanoTime();
      Passwords.hashNow(PASSWORD + i);
      if (i >= 3) {
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return ms;
  }

  /** GET /health every 10 ms for the round's seconds, on a connection of its own; latencies in ms. */
  private List<Double> probe(Server server) throws Exception {
    HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health")).timeout(Duration.ofSeconds(10)).build();
    List<Double> ms = new ArrayList<>();
    long end = System.nanoTime() + o.seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      HttpResponse<Void> r = own.send(req, HttpResponse.BodyHandlers.discarding());
      ms.add((System.nanoTime() - t0) / 1e6);
      if (r.statusCode() != 200) {
        throw new BenchFailure("/health answered " + r.statusCode());
      }
      Thread.sleep(10);
    }
    return ms;
  }

  /** The probe while {@code signers} clients sign in again and again; their own times go to {@code signInMs}. */
  private List<Double> underSignIns(Server server, List<String> emails, List<Double> signInMs) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (String email : emails) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          try {
            signInMs.add(signIn(server, email));
          } catch (Exception e) {
            failures.incrementAndGet();
            running.set(false);
          }
        }
      }, "signer-" + email);
      t.start();
      threads.add(t);
    }
    Thread.sleep(1_000); // every signer has a sign-in waiting before the probe starts
    try {
      return probe(server);
    } finally {
      running.set(false);
      for (Thread t : threads) {
        t.join(60_000);
      }
      if (failures.get() > 0) {
        throw new BenchFailure(failures.get() + " sign-ins failed");
      }
    }
  }

  /** One sign-in through HTTP; its time in ms. */
  private double signIn(Server server, String email) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/sessions"))
        .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Out.json(Map.of("email", email, "password", PASSWORD)))).build();
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new BenchFailure("sign-in answered " + r.statusCode() + ": " + r.body());
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private String markdown(List<Double> hashes, List<Double> sequential, Sample idle, Sample loaded, List<Double> signIns,
      String database, String memory) {
    double hash = Stats.median(hashes);
    StringBuilder md = new StringBuilder();
    md.append("### ").append(LocalDate.now(ZoneOffset.UTC)).append(" — sign-in: hash ")
        .append(String.format(Locale.ROOT, "%.0f ms, /health p99 %.1f ms during %d sign-ins (%.1f ms without)",
            hash, loaded.p99(), o.signers, idle.p99()))
        .append("\n\n");
    md.append("- command: `").append(Out.command("SignInBench", String.join(" ", o.given))).append("` (")
        .append(o.settings()).append(")\n");
    md.append(Out.commitAndMachine());
    md.append("- database: ").append(database).append(" (embedded)\n\n");
    md.append("| measure | value | goal | result |\n|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| one Argon2id hash (m=46 MiB, t=3, p=1), median of %d | %.0f ms (min %.0f, max %.0f) "
            + "| %.0f–%.0f ms | %s |\n", hashes.size(), hash, Collections.min(hashes), Collections.max(hashes),
        HASH_MIN_MS, HASH_MAX_MS, hash >= HASH_MIN_MS && hash <= HASH_MAX_MS ? "pass" : "FAIL"));
    md.append(String.format(Locale.ROOT, "| a sign-in through HTTP, one at a time, median of %d | %.0f ms | — | — |\n",
        sequential.size(), Stats.median(sequential)));
    md.append(String.format(Locale.ROOT, "| /health, no sign-ins (%d requests) | p50 %.1f ms, p99 %.1f ms | — | — |\n",
        idle.ms().size(), idle.p50(), idle.p99()));
    md.append(String.format(Locale.ROOT, "| /health during %d concurrent sign-ins (%d requests) | p50 %.1f ms, p99 %.1f ms "
            + "| p99 ≤ %.0f ms | %s |\n", o.signers, loaded.ms().size(), loaded.p50(), loaded.p99(), P99_GOAL_MS,
        loaded.p99() <= P99_GOAL_MS ? "pass" : "FAIL"));
    md.append(String.format(Locale.ROOT, "| sign-ins meanwhile | %d in %d s (%.1f/s), median %.0f ms, p99 %.0f ms each "
            + "| — | — |\n", signIns.size(), o.seconds * o.rounds, signIns.size() / (double) (o.seconds * o.rounds),
        Stats.median(signIns), Stats.percentile(signIns, 0.99)));
    md.append("\nPeak memory over the run: ").append(memory).append(".\n");
    for (String n : notes) {
      md.append("Note: ").append(n).append(".\n");
    }
    return Program.block(md.toString());
  }

  static final class Options {
    static final String USAGE = """
        usage: bench/run.sh SignInBench [--signers N] [--seconds S] [--rounds R] [--quiet-minutes Q] [--keep]

          --signers N      clients signing in at once, each again as soon as answered (default 20)
          --seconds S      how long /health is probed, idle and under sign-ins, in each round (default 15)
          --rounds R       rounds of both (default 2)
          --quiet-minutes Q  wait at most Q minutes for a quiet machine before each part (default 5)
          --keep           keep the temp dir (server log, embedded database)
        """;

    int signers = 20;
    int seconds = 15;
    int rounds = 2;
    int quietMinutes = 5;
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
          case "--signers" -> o.signers = Args.positive(a, v);
          case "--seconds" -> o.seconds = Args.positive(a, v);
          case "--rounds" -> o.rounds = Args.positive(a, v);
          case "--quiet-minutes" -> o.quietMinutes = Args.positive(a, v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
        o.given.add(a + " " + v);
      }
      return o;
    }

    String settings() {
      return "--signers " + signers + " --seconds " + seconds + " --rounds " + rounds;
    }
  }
}
