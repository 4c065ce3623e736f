package io.siyu.channel.email;

import io.siyu.app.Config;
import io.siyu.outbox.Channel;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Touch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code email}: a rendered touch over SMTP, HTML with its plain-text alternative; marketing mail
 * carries the contact's one-click unsubscribe link.
 */
public final class EmailChannel implements Channel {
  private EmailClient client;

  @Override
  public String name() {
    return "email";
  }

  @Override
  public void start(Vertx vertx, Config config) {
    SmtpSettings.fromEnv(config.env()).ifPresent(s -> client = EmailClient.create(vertx, s));
  }

  @Override
  public boolean configured() {
    return client != null;
  }

  @Override
  public boolean needsContent() {
    return true;
  }

  @Override
  public int ratePerSecond() {
    return client == null ? 0 : client.ratePerSecond();
  }

  @Override
  public Future<Delivery> send(Touch touch) {
    if (client == null) {
      return Future.succeededFuture(Delivery.failed("email channel not configured (SIYU_SMTP_HOST)"));
    }
    return client.send(new EmailMessage(touch.recipient().email(), touch.content().subject(), touch.content().html(),
        touch.content().text(), touch.content().unsubscribeUrl()), touch.touchKey());
  }

  @Override
  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
