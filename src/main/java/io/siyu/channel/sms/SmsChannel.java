package io.siyu.channel.sms;

import io.siyu.channel.ProviderChannel;
import io.siyu.outbox.ChannelContext;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.ProviderCallback;
import io.siyu.outbox.Receipt;
import io.siyu.outbox.Touch;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * {@code sms}: a rendered touch through the SMS gateway, as the gateway's template
 * ({@code sms_template_id} in the touch's data, else the touch's template key) with the rendered
 * text as its {@code text} parameter. The gateway's callbacks bring delivery receipts and member
 * replies; a reply of "TD" or "退订" is an opt-out from SMS.
 */
public final class SmsChannel extends ProviderChannel<SmsClient> {
  private SmsCallbackParser callbacks;

  public SmsChannel() {
    super("SIYU_SMS_URL");
  }

  @Override
  public String name() {
    return "sms";
  }

  @Override
  public void start(ChannelContext context) {
    SmsSettings.fromEnv(context.env()).ifPresent(s -> {
      client = SmsClient.create(context.vertx(), s);
      callbacks = new SmsCallbackParser(s);
    });
  }

  @Override
  protected Future<Delivery> send(SmsClient client, Touch touch) {
    String template = touch.payload().getString("sms_template_id", touch.templateKey());
    return client.send(new SmsMessage(touch.recipient().mobile(), template, Map.of("text", touch.content().text())),
        touch.touchKey());
  }

  @Override
  public ProviderCallback callback(MultiMap headers, Buffer body) {
    if (callbacks == null) {
      throw Problem.notFound("Receipts of channel sms (not configured)");
    }
    SmsCallback callback;
    try {
      callback = callbacks.parse(headers.get("X-Siyu-Timestamp"), headers.get("X-Siyu-Signature"), body);
    } catch (SmsCallbackRejected e) {
      throw e.reason() == SmsCallbackRejected.Reason.UNAUTHENTICATED
          ? Problem.unauthorized(e.getMessage()) : Problem.badRequest(e.getMessage());
    }
    return new ProviderCallback(
        callback.receipts().stream().map(r -> new Receipt(r.requestId(), r.status().name().toLowerCase(), r.at(), r.error()))
            .toList(),
        callback.replies().stream().filter(SmsReply::isUnsubscribe)
            .map(r -> new ProviderCallback.OptOut(r.mobile(), r.at(), r.text())).toList());
  }
}
