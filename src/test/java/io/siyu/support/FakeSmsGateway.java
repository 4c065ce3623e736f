package io.siyu.support;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generic SMS gateway on loopback: checks each request's signature with the shared secret
 * (401 when it does not match), records it, and answers with the scripted statuses in order, then
 * {@code 200 {"code": "OK", "message_id": ...}}.
 */
public final class FakeSmsGateway implements Fake {
  public static final String SECRET = "sms-shared-secret-0001";

  /** One request as the gateway saw it. */
  public record Request(String timestamp, String signature, boolean signatureValid, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private record Answer(int status, String body, long delayMs) {}

  private final LoopbackHttp http = new LoopbackHttp(this::handle);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private final AtomicInteger messageIds = new AtomicInteger();

  public String url() {
    return http.url() + "/v1/sms/send";
  }

  /** The SMS channel's environment for this gateway. */
  public Map<String, String> env() {
    return Map.of("SIYU_SMS_URL", url(), "SIYU_SMS_SECRET", SECRET);
  }

  /** The next send is answered with this status and body. */
  public synchronized void answerNext(int status, String body) {
    script.add(new Answer(status, body, 0));
  }

  /** The next send is answered OK after {@code delayMs}, for timeouts. */
  public synchronized void answerSlowly(long delayMs) {
    script.add(new Answer(200, ok(), delayMs));
  }

  public List<Request> requests() {
    return requests;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      String timestamp = req.getHeader("X-Siyu-Timestamp");
      String signature = req.getHeader("X-Siyu-Signature");
      boolean valid = timestamp != null && Signatures.hex(SECRET, timestamp, buffer.toString()).equals(signature);
      requests.add(new Request(timestamp, signature, valid, req.getHeader("Content-Type"), buffer.toString()));
      Answer answer = valid ? next() : new Answer(401, "{\"code\":\"BAD_SIGNATURE\"}", 0);
      http.vertx().setTimer(Math.max(1, answer.delayMs()), t ->
          req.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body()));
    });
  }

  private synchronized Answer next() {
    Answer scripted = script.poll();
    return scripted != null ? scripted : new Answer(200, ok(), 0);
  }

  private String ok() {
    return new JsonObject().put("code", "OK").put("message_id", "sms-" + messageIds.incrementAndGet()).encode();
  }

  @Override
  public void close() {
    http.close();
  }
}
