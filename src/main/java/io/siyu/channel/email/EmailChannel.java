package io.siyu.channel.email;

import io.siyu.channel.ProviderChannel;
import io.siyu.outbox.ChannelContext;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Touch;
import io.vertx.core.Future;

/**
 * {@code email}: a rendered touch over SMTP, HTML with its plain-text alternative; marketing mail
 * carries the contact's one-click unsubscribe link.
 */
public final class EmailChannel extends ProviderChannel<EmailClient> {
  public EmailChannel() {
    super("SIYU_SMTP_HOST");
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public void start(ChannelContext context) {
    SmtpSettings.fromEnv(context.env()).ifPresent(s -> client = EmailClient.create(context.vertx(), s));
  }

  @Override
  protected Future<Delivery> send(EmailClient client, Touch touch) {
    return client.send(new EmailMessage(touch.recipient().email(), touch.content().subject(), touch.content().html(),
        touch.content().text(), touch.content().unsubscribeUrl()), touch.touchKey());
  }
}
