package io.siyu.bench;

import io.siyu.bench.PlainClient.HeldTouch;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: a plain Vert.x web client in the harness's JVM doing what the webhook channel
 * does for each touch — build the JSON body, sign it with SiyuSignature.sign, POST it with the
 * same headers and client options — with as many in flight as the dispatcher's send slots, and
 * nothing else: no database, no policy.
 */
final class PlainClient implements AutoCloseable {
  /** A queued touch as the plain client posts it. */
  record HeldTouch(String touchKey, long contactId, String channel, String templateKey, String payload,
      String journeyKey, String activityId) {
    /**
     * The body WebhookChannel.body builds: the same fields in the same order, the payload parsed
     * from its JSON text as Siyu's claim does (the sink checks that both sides' bodies are equal).
     */
    JsonObject body() {
      return new JsonObject().put("touch_key", touchKey).put("contact_id", contactId).put("channel", channel)
          .put("template_key", templateKey).put("payload", new JsonObject(payload)).put("journey_key", journeyKey)
          .put("activity_id", activityId);
    }
  }

  /** The webhook channel's default timeout (SIYU_WEBHOOK_TIMEOUT_MS). */
  private static final int TIMEOUT_MS = 5000;
  private final Vertx vertx = Vertx.vertx();
  private final io.vertx.core.Context context = vertx.getOrCreateContext();
  private final WebClient client;
  private final String url;
  private final byte[] secret;
  private final int concurrency;

  PlainClient(String url, String secret, int concurrency) {
    this.url = url;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.concurrency = concurrency;
    // as WebhookChannel.start: one connection per concurrent send
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS).setFollowRedirects(false)
        .setUserAgent("Siyu-Webhook"), new PoolOptions().setHttp1MaxSize(concurrency));
  }

  /** Posts every touch, {@code concurrency} at a time, and waits for all answers; answers how many were not 2xx. */
  int postAll(List<HeldTouch> touches) throws Exception {
    Promise<Integer> done = Promise.promise();
    context.runOnContext(v -> new Run(touches, done).start());
    return done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
  }

  /** One pass over the touches, all on one context (as the dispatcher's sends), so no locks. */
  private final class Run {
    private final List<HeldTouch> touches;
    private final Promise<Integer> done;
    private int next;
    private int answered;
    private int refused;

    Run(List<HeldTouch> touches, Promise<Integer> done) {
      this.touches = touches;
      this.done = done;
    }

    void start() {
      for (int i = 0; i < concurrency; i++) {
        sendNext();
      }
    }

    private void sendNext() {
      if (next == touches.size()) {
        return;
      }
      HeldTouch t = touches.get(next++);
      Buffer body = t.body().toBuffer();
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      client.postAbs(url).timeout(TIMEOUT_MS)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("X-Siyu-Timestamp", timestamp)
          .putHeader("Idempotency-Key", t.touchKey())
          .putHeader("X-Siyu-Signature", "sha256=" + io.siyu.web.SiyuSignature.sign(secret, timestamp, body))
          .sendBuffer(body).onComplete(ar -> {
            if (ar.failed() || ar.result().statusCode() / 100 != 2) {
              refused++;
            }
            if (++answered == touches.size()) {
              done.complete(refused);
            } else {
              sendNext();
            }
          });
    }
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
