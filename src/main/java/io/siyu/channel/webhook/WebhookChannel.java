package io.siyu.channel.webhook;

import io.siyu.outbox.Channel;
import io.siyu.outbox.ChannelContext;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.OutboxSettings;
import io.siyu.outbox.ProviderCallback;
import io.siyu.outbox.Receipt;
import io.siyu.outbox.Touch;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.SiyuSignature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webhook}: POSTs the touch as JSON to {@code SIYU_WEBHOOK_URL}. The receiver can check
 * {@code X-Siyu-Signature} (HMAC-SHA256 of {@code "<X-Siyu-Timestamp>.<body>"} with
 * {@code SIYU_WEBHOOK_SECRET}) and should deduplicate on {@code Idempotency-Key}: delivery is at
 * least once, so a send whose answer was lost is sent again.
 */
public final class WebhookChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(WebhookChannel.class);

  private String url;
  private byte[] secret;
  private long timeoutMs;
  private int ratePerSecond;
  private WebClient client;

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void start(ChannelContext context) {
    Vertx vertx = context.vertx();
    OutboxSettings s = context.outbox();
    url = s.webhookUrl();
    secret = s.webhookSecret() == null ? null : s.webhookSecret().getBytes(StandardCharsets.UTF_8);
    timeoutMs = s.webhookTimeoutMs();
    ratePerSecond = s.webhookRatePerSecond();
    if (url == null) {
      return;
    }
    if (secret == null) {
      log.warn("SIYU_WEBHOOK_SECRET is not set: webhook touches go out unsigned");
    }
    // one connection per concurrent send, so the dispatcher's bound is the only one
    client = Channel.httpClient(vertx, "Siyu-Webhook", timeoutMs, s.concurrency());
  }

  @Override
  public boolean configured() {
    return client != null;
  }

  @Override
  public int ratePerSecond() {
    return ratePerSecond;
  }

  @Override
  public Future<Delivery> send(Touch t) {
    if (client == null) {
      return Future.succeededFuture(Delivery.failed("webhook channel not configured"));
    }
    Buffer body = body(t).toBuffer();
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    var request = client.postAbs(url).timeout(timeoutMs)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader(SiyuSignature.TIMESTAMP_HEADER, timestamp)
        .putHeader("Idempotency-Key", t.touchKey());
    if (secret != null) {
      request.putHeader(SiyuSignature.SIGNATURE_HEADER, SiyuSignature.header(secret, timestamp, body));
    }
    return request.sendBuffer(body).map(WebhookChannel::delivery)
        .recover(err -> Future.succeededFuture(Delivery.retry(err.getClass().getSimpleName() + ": " + err.getMessage())));
  }

  static JsonObject body(Touch t) {
    return new JsonObject().put("touch_key", t.touchKey()).put("contact_id", t.contactId())
        .put("channel", t.channel()).put("template_key", t.templateKey()).put("payload", t.payload())
        .put("journey_key", t.journeyKey()).put("activity_id", t.activityId());
  }

  /** 2xx sent; 408, 429 and 5xx worth another try; anything else will not change by trying again. */
  static Delivery delivery(HttpResponse<Buffer> r) {
    int status = r.statusCode();
    String answer = "HTTP " + status + (r.body() == null || r.body().length() == 0 ? "" : ": " + r.bodyAsString());
    if (status >= 200 && status < 300) {
      return Delivery.sent(answer);
    }
    return status == 408 || status == 429 || status >= 500 ? Delivery.retry(answer) : Delivery.failed(answer);
  }

  /** How old a signed receipt call may be: older ones could be replays. */
  static final long MAX_RECEIPT_AGE_SECONDS = 300;

  /**
   * {@code POST /webhooks/receipts/webhook}: the brand's system reports what became of touches,
   * signed like Siyu's own calls (X-Siyu-Timestamp, X-Siyu-Signature over "<timestamp>.<body>"),
   * as {@code {"receipts": [{"touch_key", "status": "delivered|read|failed", "at"?, "error"?}]}}.
   */
  @Override
  public ProviderCallback callback(MultiMap headers, Buffer body) {
    verify(secret, headers, body, Instant.now());
    if (!(Bodies.decode(body) instanceof JsonObject json)) {
      throw Problem.badRequest("The body must be JSON: {\"receipts\": [...]}");
    }
    if (!(json.getValue("receipts") instanceof JsonArray list) || list.isEmpty() || list.size() > 1000) {
      throw Problem.invalid("receipts", "must be a list of 1 to 1000 receipts");
    }
    List<Receipt> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        JsonObject r = list.getJsonObject(i);
        out.add(new Receipt(r.getString("touch_key"), r.getString("status"),
            r.getString("at") == null ? null : Instant.parse(r.getString("at")), r.getString("error")));
      } catch (RuntimeException e) {
        throw Problem.invalid("receipts[" + i + "]", e instanceof IllegalArgumentException && e.getMessage() != null
            ? e.getMessage() : "must be {touch_key, status, at?, error?} with at an ISO instant");
      }
    }
    return ProviderCallback.ofReceipts(out);
  }

  /** A call signed with the webhook secret within the last five minutes, or a 401 saying what is wrong. */
  static void verify(byte[] secret, MultiMap headers, Buffer body, Instant now) {
    if (secret == null) {
      throw Problem.unauthorized("SIYU_WEBHOOK_SECRET is not set: unsigned receipts are not accepted");
    }
    SiyuSignature.verify(List.of(secret), headers, body, now, MAX_RECEIPT_AGE_SECONDS);
  }

  @Override
  public Future<Void> close() {
    if (client != null) {
      client.close();
    }
    return Future.succeededFuture();
  }
}
