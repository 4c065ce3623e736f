package io.siyu.channel.email;

import io.siyu.channel.Providers;
import io.siyu.outbox.Delivery;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import java.util.concurrent.TimeUnit;

/**
 * Sends touches by SMTP with the Vert.x mail client: a multipart/alternative message (plain text,
 * then HTML), a Message-ID made from the idempotency key ({@link MessageIds}) and, for marketing
 * mail, {@code List-Unsubscribe} with {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}.
 * (Gmail and Yahoo honour one-click only on mail whose DKIM signature covers those headers: that
 * signing is the relay's job here.)
 *
 * <p>SENT when the server took the message; an SMTP 4xx, a refused connection or a timeout is
 * RETRY; an SMTP 5xx is FAILED. SMTP has no idempotency key: a retry after a lost answer sends the
 * message again, with the same Message-ID.
 */
public final class EmailClient implements io.siyu.channel.ProviderClient {
  /** The dispatcher bounds sends in flight ({@code SIYU_OUTBOX_CONCURRENCY}, 32 by default); an SMTP relay wants fewer. */
  private static final int MAX_CONNECTIONS = 8;

  private final SmtpSettings settings;
  private final String domain;
  private final MailClient mail;

  private EmailClient(Vertx vertx, SmtpSettings settings) {
    this.settings = settings;
    this.domain = settings.fromDomain();
    this.mail = MailClient.create(vertx, config(settings));
  }

  public static EmailClient create(Vertx vertx, SmtpSettings settings) {
    return new EmailClient(vertx, settings);
  }

  /** The most emails a second the dispatcher should send ({@code SIYU_SMTP_RATE_PER_SECOND}). */
  @Override
  public int ratePerSecond() {
    return settings.ratePerSecond();
  }

  public Future<Delivery> send(EmailMessage message, String idempotencyKey) {
    MailMessage mailMessage = new MailMessage().setFrom(settings.from()).setTo(message.to())
        .setSubject(message.subject()).setText(message.text()).setHtml(message.html())
        .setHeaders(headers(message, MessageIds.of(idempotencyKey, domain)));
    return mail.sendMail(mailMessage)
        .map(result -> Delivery.sent("SMTP accepted " + result.getMessageID()))
        .otherwise(EmailClient::failure);
  }

  private static MultiMap headers(EmailMessage message, String messageId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Message-ID", messageId);
    if (message.unsubscribeUrl() != null) {
      headers.add("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">")
          .add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    return headers;
  }

  static Delivery failure(Throwable error) {
    if (error instanceof SMTPException smtp) {
      String answer = "SMTP " + smtp.getReplyCode() + ": " + smtp.getMessage();
      return smtp.isPermanent() ? Delivery.failed(answer) : Delivery.retry(answer);
    }
    return Delivery.retry(Providers.describe(error));
  }

  private static MailConfig config(SmtpSettings s) {
    MailConfig config = new MailConfig().setHostname(s.host()).setPort(s.port()).setStarttls(s.starttls())
        .setMaxPoolSize(MAX_CONNECTIONS).setConnectTimeout(s.timeoutMs())
        .setIdleTimeout(s.timeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setUserAgent("Siyu");
    if (s.user() == null) {
      return config.setLogin(LoginOption.DISABLED);
    }
    return config.setLogin(LoginOption.REQUIRED).setUsername(s.user()).setPassword(s.password());
  }

  @Override
  public Future<Void> close() {
    return mail.close();
  }
}
