package io.siyu.channel.sms;

import io.siyu.channel.Providers;
import io.siyu.outbox.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;

/**
 * Sends texts through a generic HTTP SMS gateway: {@code POST SIYU_SMS_URL} with a JSON body
 * ({@code request_id}, {@code mobile}, {@code template_id}, {@code params}, {@code sign_name}),
 * signed as {@link SmsSignature} says. The idempotency key is the {@code request_id}: a gateway
 * that keeps the ids it has seen sends a retried touch once.
 *
 * <p>2xx with {@code {"code": "OK", "message_id": ...}} is SENT; 408, 429 and 5xx are RETRY, as
 * are timeouts and refused connections; any other status, or a 2xx whose code is not OK, is
 * FAILED. The answer is the status and the gateway's body.
 */
public final class SmsClient implements io.siyu.channel.ProviderClient {
  private final SmsSettings settings;
  private final WebClient client;
  private final Clock clock;

  SmsClient(Vertx vertx, SmsSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.client = Providers.webClient(vertx, "Siyu-SMS", settings.timeoutMs());
  }

  public static SmsClient create(Vertx vertx, SmsSettings settings) {
    return new SmsClient(vertx, settings, Clock.systemUTC());
  }

  /** The most texts a second the dispatcher should send ({@code SIYU_SMS_RATE_PER_SECOND}). */
  @Override
  public int ratePerSecond() {
    return settings.ratePerSecond();
  }

  public Future<Delivery> send(SmsMessage message, String idempotencyKey) {
    Buffer body = message.request(idempotencyKey, settings.signName()).toBuffer();
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    return client.postAbs(settings.url()).timeout(settings.timeoutMs())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader(SmsSignature.TIMESTAMP_HEADER, timestamp)
        .putHeader(SmsSignature.SIGNATURE_HEADER, SmsSignature.sign(settings.secretBytes(), timestamp, body))
        .sendBuffer(body)
        .map(SmsClient::delivery)
        .otherwise(error -> Delivery.retry(Providers.describe(error)));
  }

  static Delivery delivery(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.bodyAsString();
    String answer = "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    if (status >= 200 && status < 300) {
      return "OK".equals(code(text)) ? Delivery.sent(answer) : Delivery.failed(answer);
    }
    return status == 408 || status == 429 || status >= 500 ? Delivery.retry(answer) : Delivery.failed(answer);
  }

  private static String code(String body) {
    try {
      return new JsonObject(body).getString("code");
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
