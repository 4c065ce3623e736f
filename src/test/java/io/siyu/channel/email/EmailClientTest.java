package io.siyu.channel.email;

import static io.siyu.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Delivery.Outcome;
import io.siyu.outbox.Delivery;
import io.siyu.support.Envs;
import io.siyu.support.Ports;
import io.siyu.support.ScriptedSmtpServer;
import io.siyu.support.SmtpServer;
import io.vertx.core.Vertx;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email client against a real SMTP server on loopback ({@link SmtpServer}), and against scripted refusals. */
class EmailClientTest {
  private static final Vertx vertx = Vertx.vertx();
  private static final String USER = "siyu";
  private static final String PASSWORD = "smtp-password-1";
  private static final EmailMessage BIRTHDAY = new EmailMessage("lilei@example.com", "生日快乐，李雷",
      "<p>送你一张 <b>50 元</b>生日券</p>", "送你一张 50 元生日券", "https://siyu.example.com/u/abc123");

  private final SmtpServer smtp = new SmtpServer();

  @BeforeEach
  void login() {
    smtp.login("noreply@siyu.example.com", USER, PASSWORD);
  }

  @AfterEach
  void stopSmtp() {
    smtp.close();
  }

  @AfterAll
  static void closeVertx() {
    result(vertx.close());
  }

  private static EmailClient client(int port, Map<String, String> overrides) {
    Map<String, String> env = Envs.with(Map.of("SIYU_SMTP_HOST", "127.0.0.1", "SIYU_SMTP_PORT",
        Integer.toString(port), "SIYU_SMTP_USER", USER, "SIYU_SMTP_PASSWORD", PASSWORD, "SIYU_SMTP_STARTTLS", "DISABLED",
        "SIYU_SMTP_FROM", "私域会员 <noreply@siyu.example.com>", "SIYU_SMTP_TIMEOUT_MS", "2000"), overrides);
    return EmailClient.create(vertx, SmtpSettings.fromEnv(env).orElseThrow());
  }

  private static Delivery send(int port, Map<String, String> overrides, EmailMessage message, String key) {
    EmailClient client = client(port, overrides);
    try {
      return result(client.send(message, key));
    } finally {
      result(client.close());
    }
  }

  private static void assertOutcome(Outcome expected, Delivery d) {
    assertEquals(expected, d.outcome(), d.toString());
  }

  @Test
  void theMessageArrivesWithBothPartsAndItsHeaders() throws Exception {
    Delivery d = send(smtp.port(), Map.of(), BIRTHDAY, "journey:birthday/42");
    assertOutcome(Outcome.SENT, d);
    assertEquals("SMTP accepted <siyu.journey%3Abirthday%2F42@siyu.example.com>", d.answer());

    assertTrue(smtp.awaitMail(5000, 1));
    MimeMessage received = smtp.received()[0];
    assertEquals("生日快乐，李雷", received.getSubject());
    assertEquals("lilei@example.com", received.getAllRecipients()[0].toString());
    assertTrue(received.getFrom()[0].toString().contains("noreply@siyu.example.com"));
    assertEquals("<siyu.journey%3Abirthday%2F42@siyu.example.com>", received.getMessageID());
    assertEquals("<https://siyu.example.com/u/abc123>", received.getHeader("List-Unsubscribe")[0]);
    assertEquals("List-Unsubscribe=One-Click", received.getHeader("List-Unsubscribe-Post")[0]);

    MimeMultipart parts = (MimeMultipart) received.getContent();
    assertTrue(parts.getContentType().startsWith("multipart/alternative"), parts.getContentType());
    assertEquals(2, parts.getCount());
    BodyPart plain = parts.getBodyPart(0);
    BodyPart html = parts.getBodyPart(1);
    assertTrue(plain.isMimeType("text/plain"), plain.getContentType());
    assertEquals("送你一张 50 元生日券", plain.getContent().toString().strip());
    assertTrue(html.isMimeType("text/html"), html.getContentType());
    assertEquals("<p>送你一张 <b>50 元</b>生日券</p>", html.getContent().toString().strip());
  }

  @Test
  void transactionalMailHasNoUnsubscribeHeaders() throws Exception {
    EmailMessage receipt = new EmailMessage("lilei@example.com", "订单已发货", "<p>已发货</p>", "已发货", null);
    assertOutcome(Outcome.SENT, send(smtp.port(), Map.of(), receipt, "order-10086"));
    assertTrue(smtp.awaitMail(5000, 1));
    MimeMessage received = smtp.received()[0];
    assertNull(received.getHeader("List-Unsubscribe"));
    assertNull(received.getHeader("List-Unsubscribe-Post"));
    assertEquals("<siyu.order-10086@siyu.example.com>", received.getMessageID(), "the same key, the same id");
  }

  @Test
  void aRefusedLoginFails() {
    Delivery d = send(smtp.port(), Map.of("SIYU_SMTP_PASSWORD", "wrong"), BIRTHDAY, "k1");
    assertOutcome(Outcome.FAILED, d);
    assertTrue(d.answer().startsWith("SMTP 535: AUTH"), d.answer());
    assertEquals(0, smtp.received().length);
  }

  @Test
  void transientRefusalsAreRetriedPermanentOnesFail() {
    try (ScriptedSmtpServer greylisting = new ScriptedSmtpServer("220 fake", "451 4.7.1 greylisted, try later");
         ScriptedSmtpServer noSuchUser = new ScriptedSmtpServer("220 fake", "550 5.1.1 no such mailbox");
         ScriptedSmtpServer closed = new ScriptedSmtpServer("421 4.3.2 too busy", "250 ok")) {
      Map<String, String> noLogin = Map.of("SIYU_SMTP_USER", "", "SIYU_SMTP_PASSWORD", "");
      Delivery later = send(greylisting.port(), noLogin, BIRTHDAY, "k1");
      assertOutcome(Outcome.RETRY, later);
      assertTrue(later.answer().startsWith("SMTP 451: recipient address not accepted"), later.answer());

      Delivery never = send(noSuchUser.port(), noLogin, BIRTHDAY, "k2");
      assertOutcome(Outcome.FAILED, never);
      assertTrue(never.answer().contains("550 5.1.1 no such mailbox"), never.answer());

      assertOutcome(Outcome.RETRY, send(closed.port(), noLogin, BIRTHDAY, "k3"));
    }
  }

  @Test
  void aServerThatCannotBeReachedIsRetried() throws Exception {
    int closedPort = Ports.free();
    assertOutcome(Outcome.RETRY, send(closedPort, Map.of(), BIRTHDAY, "k1"));
  }
}
