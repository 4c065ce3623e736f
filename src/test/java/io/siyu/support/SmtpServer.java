package io.siyu.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;

/** A real SMTP server (GreenMail) on a free port of 127.0.0.1, plain SMTP, keeping what it receives. */
public final class SmtpServer implements Fake {
  private final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  public SmtpServer() {
    mail.start();
  }

  public int port() {
    return mail.getSmtp().getPort();
  }

  /** The email channel's environment for this server: host, port, no STARTTLS. */
  public Map<String, String> env() {
    return Map.of("SIYU_SMTP_HOST", "127.0.0.1", "SIYU_SMTP_PORT", Integer.toString(port()),
        "SIYU_SMTP_STARTTLS", "DISABLED");
  }

  /** Accepts a login of {@code user} with {@code password} for the mailbox {@code email}. */
  public void login(String email, String user, String password) {
    mail.setUser(email, user, password);
  }

  /** Whether {@code count} messages have arrived within {@code timeoutMs}. */
  public boolean awaitMail(long timeoutMs, int count) {
    return mail.waitForIncomingEmail(timeoutMs, count);
  }

  public MimeMessage[] received() {
    return mail.getReceivedMessages();
  }

  @Override
  public void close() {
    mail.stop();
  }
}
