package io.siyu.user;

import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * People's passwords, hashed with Argon2id (Bouncy Castle's pure-Java generator) into a PHC string,
 * {@code $argon2id$v=19$m=47104,t=3,p=1$<salt>$<hash>}, which carries its parameters: a hash made with
 * older ones still verifies, and {@link #outdated} tells sign-in to store a new one.
 *
 * <p>Hashing is slow on purpose (about 50–250 ms, see bench/RESULTS.md) and takes 46 MiB, so it
 * runs on a worker pool of its own, never the event loop: {@code threads} hashes at a time (half
 * the cores by default, so the event loops keep a core however many people sign in at once, and
 * the memory stays {@code threads} × 46 MiB). At most {@value #MAX_WAITING} may wait for it; beyond
 * that a sign-in is told to retry (503 {@code busy}) instead of queueing without end.
 */
public final class Passwords {
  /** 46 MiB, 3 passes, one lane: OWASP's 46 MiB row with two more passes to reach the time goal on two cores. */
  static final Params CURRENT = new Params(47_104, 3, 1);
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  static final int MAX_WAITING = 64;
  private static final String PREFIX = "$argon2id$v=19$";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private final WorkerExecutor executor;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  /** Argon2id's cost: memory in KiB, passes, lanes. */
  record Params(int memoryKib, int iterations, int parallelism) {
    String phc() {
      return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }
  }

  public Passwords(Vertx vertx, int threads) {
    this(vertx, threads, MAX_WAITING);
  }

  /** With room for {@code maxWaiting} hashes in the pool's queue (tests fill a small one). */
  Passwords(Vertx vertx, int threads, int maxWaiting) {
    this.maxWaiting = maxWaiting;
    // a shared executor is closed with Vert.x; 60 s before the blocked-thread checker warns, as a busy
    // machine's hash is slow
    this.executor = vertx.createSharedWorkerExecutor("siyu-passwords", threads, 60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The PHC string of {@code password}, with a new random salt. */
  public Future<String> hash(String password) {
    return onWorker(() -> hashNow(password));
  }

  /**
   * Whether {@code password} is the one {@code phc} was made from, compared in constant time. With
   * {@code phc} null (no such person) it still hashes once with the current parameters and says no,
   * so an unknown email costs what a wrong password costs.
   */
  public Future<Boolean> verify(String password, String phc) {
    return onWorker(() -> phc == null ? unknown(password) : verifyNow(password, phc));
  }

  /** True when {@code phc} was made with other parameters than today's (sign-in then stores a new hash). */
  public static boolean outdated(String phc) {
    return !phc.startsWith(PREFIX + CURRENT.phc() + "$");
  }

  private <T> Future<T> onWorker(java.util.concurrent.Callable<T> work) {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return Future.failedFuture(Problem.retryLater(503, "busy", "Busy",
          "Too many sign-ins are being checked right now; try again in a moment", 1));
    }
    return executor.executeBlocking(() -> {
      try {
        return work.call();
      } finally {
        waiting.decrementAndGet();
      }
    }, false);
  }

  /** Blocking: one hash, as the worker pool makes it (public for the sign-in benchmark, which times it). */
  public static String hashNow(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = argon2(password, salt, CURRENT, HASH_BYTES);
    return PREFIX + CURRENT.phc() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  static boolean verifyNow(String password, String phc) {
    String[] parts = phc.split("\\$");
    if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
      throw new IllegalStateException("a stored password hash is not an Argon2id PHC string");
    }
    Params params = parse(parts[3]);
    byte[] salt = Base64.getDecoder().decode(parts[4]);
    byte[] expected = Base64.getDecoder().decode(parts[5]);
    return MessageDigest.isEqual(argon2(password, salt, params, expected.length), expected);
  }

  private static boolean unknown(String password) {
    hashNow(password);
    return false;
  }

  private static Params parse(String spec) {
    int m = 0;
    int t = 0;
    int p = 0;
    for (String kv : spec.split(",")) {
      int value = Integer.parseInt(kv.substring(2));
      switch (kv.substring(0, 2)) {
        case "m=" -> m = value;
        case "t=" -> t = value;
        case "p=" -> p = value;
        default -> throw new IllegalStateException("unknown Argon2 parameter in a stored hash");
      }
    }
    return new Params(m, t, p);
  }

  /**
   * The raw Argon2id output. The password is NFKC-normalised first, so the same password typed on
   * another keyboard (full-width digits from a Chinese input method, say) is the same password.
   */
  private static byte[] argon2(String password, byte[] salt, Params params, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(params.memoryKib())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
