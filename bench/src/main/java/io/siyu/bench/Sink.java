package io.siyu.bench;

import static io.siyu.bench.Out.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Receives the webhook channel's POSTs. For the journeys: counts, per contact, which of the
 * welcome's four touches have arrived (a retry or duplicate changes nothing); the round is done
 * when the expected number of contacts have all four. Other touches (birthday) are answered and
 * ignored. For the dispatch scenario, once {@link #expectKeys} was called: counts by
 * Idempotency-Key instead ({@link Keys}).
 */
final class Sink {
  private static final int ALL = (1 << WelcomeScenario.TEMPLATES.size()) - 1;
  private final HttpServer server;
  private final byte[] secret;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private volatile Map<Long, Integer> seen = new ConcurrentHashMap<>();
  private final AtomicInteger complete = new AtomicInteger();
  private volatile int expected;
  private volatile CountDownLatch done = new CountDownLatch(0);
  private volatile long doneNanos;
  /** The dispatch part under way; null while counting welcome touches. */
  private volatile Keys keys;

  private Sink(HttpServer server, String secret) {
    this.server = server;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  static Sink start(String secret) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    Sink sink = new Sink(server, secret);
    server.createContext("/touches", sink::handle);
    server.setExecutor(sink.threads);
    server.start();
    return sink;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/touches";
  }

  void expect(int contacts) {
    keys = null;
    seen = new ConcurrentHashMap<>();
    complete.set(0);
    expected = contacts;
    done = new CountDownLatch(1);
  }

  boolean await(long time, TimeUnit unit) throws InterruptedException {
    return done.await(time, unit);
  }

  int complete() {
    return complete.get();
  }

  long doneNanos() {
    return doneNanos;
  }

  /** From now on until the next call, counts POSTs by Idempotency-Key, for a part of {@code n} touches. */
  Keys expectKeys(int n) {
    Keys k = new Keys(n, secret);
    keys = k;
    return k;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      Keys k = keys;
      if (k != null) {
        k.record(ex.getRequestHeaders(), body);
      } else if (!recordWelcome(body)) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      ex.sendResponseHeaders(200, -1);
    } finally {
      ex.close();
    }
  }

  /** False when the body is not JSON. */
  private boolean recordWelcome(byte[] body) {
    JsonNode touch;
    try {
      touch = JSON.readTree(body);
    } catch (IOException e) {
      return false;
    }
    int bit = WelcomeScenario.TEMPLATES.indexOf(touch.path("template_key").asText());
    if (bit >= 0) {
      record(touch.path("contact_id").asLong(), 1 << bit);
    }
    return true;
  }

  private void record(long contact, int bit) {
    int[] before = new int[1];
    int after = seen.merge(contact, bit, (old, b) -> {
      before[0] = old;
      return old | b;
    });
    if (after == ALL && before[0] != ALL && complete.incrementAndGet() == expected) {
      doneNanos = System.nanoTime();
      done.countDown();
    }
  }

  void stop() {
    server.stop(0);
    threads.shutdownNow();
  }

  /**
   * One dispatch part as the sink sees it: each POST's Idempotency-Key (when it first came, how
   * often it came again), its signature checked with the webhook secret, and the bodies' bytes
   * and order-independent digest (a sum of CRC32s), so the two sides of a round can be shown to
   * have posted the same bodies. Done at {@code expected} distinct keys.
   */
  static final class Keys {
    private final int expected;
    private final byte[] secret;
    private final Map<String, Long> firstMicros = new ConcurrentHashMap<>();
    private final AtomicInteger distinct = new AtomicInteger();
    private final AtomicInteger repeats = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong digest = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);

    Keys(int expected, byte[] secret) {
      this.expected = expected;
      this.secret = secret;
    }

    void record(Headers headers, byte[] body) {
      Instant now = Instant.now();
      String timestamp = headers.getFirst("X-Siyu-Timestamp");
      String signature = headers.getFirst("X-Siyu-Signature");
      String key = headers.getFirst("Idempotency-Key");
      if (key == null || timestamp == null
          || !("sha256=" + io.siyu.web.SiyuSignature.sign(secret, timestamp, Buffer.buffer(body))).equals(signature)) {
        invalid.incrementAndGet();
      }
      bytes.addAndGet(body.length);
      CRC32 crc = new CRC32();
      crc.update(body);
      digest.addAndGet(crc.getValue());
      if (key == null || firstMicros.putIfAbsent(key, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000) != null) {
        repeats.incrementAndGet();
      } else if (distinct.incrementAndGet() == expected) {
        done.countDown();
      }
    }

    boolean await(long time, TimeUnit unit) throws InterruptedException {
      return done.await(time, unit);
    }

    int expected() {
      return expected;
    }

    int distinct() {
      return distinct.get();
    }

    long bytes() {
      return bytes.get();
    }

    long digest() {
      return digest.get();
    }

    /** When the key first arrived, in epoch seconds (NaN if it never did). */
    double arrivedSeconds(String key) {
      Long micros = firstMicros.get(key);
      return micros == null ? Double.NaN : micros / 1e6;
    }

    /** What is wrong with the part, or null: every key once, all of the batch, all signed right. */
    String problems(String keyPrefix) {
      long foreign = firstMicros.keySet().stream().filter(k -> !k.startsWith(keyPrefix)).count();
      if (distinct.get() == expected && repeats.get() == 0 && invalid.get() == 0 && foreign == 0) {
        return null;
      }
      return String.format(Locale.ROOT, "the sink got %d distinct keys of %d expected, %d repeats, %d without a key "
          + "or a good signature, %d keys not of this batch", distinct.get(), expected, repeats.get(), invalid.get(), foreign);
    }
  }
}
