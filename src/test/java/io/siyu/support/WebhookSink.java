package io.siyu.support;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on a free port of 127.0.0.1, with a Vert.x of its own: records every call and
 * answers each touch key with the statuses scripted for it, in order (200 once the script runs out).
 */
public final class WebhookSink implements Fake {
  /** One call as received. */
  public record Call(String timestamp, String signature, String idempotencyKey, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** A scripted answer; {@code delayMs} holds the answer back, for timeouts. */
  public record Answer(int status, long delayMs) {}

  private final LoopbackHttp http = new LoopbackHttp(this::handle);
  private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
  private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();

  public String url() {
    return http.url() + "/hooks/siyu";
  }

  /** The webhook channel's environment for this sink, signing with {@code secret}. */
  public Map<String, String> env(String secret) {
    return Map.of("SIYU_WEBHOOK_URL", url(), "SIYU_WEBHOOK_SECRET", secret);
  }

  /** The answers for this key's next calls. */
  public void script(String touchKey, int... statuses) {
    Deque<Answer> answers = new ArrayDeque<>();
    for (int s : statuses) {
      answers.add(new Answer(s, 0));
    }
    script.put(touchKey, answers);
  }

  public void scriptSlow(String touchKey, long delayMs) {
    script.put(touchKey, new ArrayDeque<>(List.of(new Answer(200, delayMs))));
  }

  public List<Call> calls(String touchKey) {
    return calls.getOrDefault(touchKey, List.of());
  }

  public Map<String, List<Call>> allCalls() {
    return calls;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String key = req.getHeader("Idempotency-Key");
      calls.computeIfAbsent(String.valueOf(key), k -> new CopyOnWriteArrayList<>()).add(new Call(
          req.getHeader("X-Siyu-Timestamp"), req.getHeader("X-Siyu-Signature"), key, req.getHeader("Content-Type"),
          body.toString()));
      Deque<Answer> answers = script.get(String.valueOf(key));
      Answer answer;
      synchronized (this) {
        answer = answers == null || answers.isEmpty() ? new Answer(200, 0) : answers.poll();
      }
      Runnable reply = () -> req.response().setStatusCode(answer.status())
          .end(answer.status() < 300 ? "{\"ok\":true}" : "{\"error\":\"sink says " + answer.status() + "\"}");
      if (answer.delayMs() > 0) {
        http.vertx().setTimer(answer.delayMs(), id -> reply.run());
      } else {
        reply.run();
      }
    });
  }

  @Override
  public void close() {
    http.close();
  }
}
