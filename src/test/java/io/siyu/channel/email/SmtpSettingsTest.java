package io.siyu.channel.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Envs;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIYU_SMTP_*: defaults, errors that name the variable, and what an email must have. */
class SmtpSettingsTest {
  private static final Map<String, String> MINIMAL = Map.of("SIYU_SMTP_HOST", "smtp.example.com",
      "SIYU_SMTP_FROM", "noreply@example.com");

  private static String error(Map<String, String> env) {
    return Envs.error(SmtpSettings::fromEnv, env);
  }

  private static Map<String, String> with(String key, String value) {
    return Envs.with(MINIMAL, key, value);
  }

  @Test
  void defaults() {
    assertTrue(SmtpSettings.fromEnv(Map.of()).isEmpty(), "no host: not configured");
    SmtpSettings s = SmtpSettings.fromEnv(MINIMAL).orElseThrow();
    assertEquals(587, s.port());
    assertEquals(StartTLSOptions.OPTIONAL, s.starttls());
    assertNull(s.user());
    assertEquals(10, s.ratePerSecond());
    assertEquals("example.com", s.fromDomain());
    assertEquals(StartTLSOptions.REQUIRED, SmtpSettings.fromEnv(with("SIYU_SMTP_STARTTLS", "required"))
        .orElseThrow().starttls());
    assertEquals("mail.siyu.cn", SmtpSettings.fromEnv(with("SIYU_SMTP_FROM", "私域会员 <noreply@mail.siyu.cn>"))
        .orElseThrow().fromDomain());
  }

  @Test
  void mistakesNameTheVariable() {
    assertEquals("SIYU_SMTP_FROM must be set when SIYU_SMTP_HOST is", error(Map.of("SIYU_SMTP_HOST", "smtp")));
    assertEquals("SIYU_SMTP_FROM must be an address, alone or as \"Name <address>\", got 'noreply'",
        error(with("SIYU_SMTP_FROM", "noreply")));
    assertEquals("SIYU_SMTP_STARTTLS must be one of DISABLED, OPTIONAL, REQUIRED, got 'yes'",
        error(with("SIYU_SMTP_STARTTLS", "yes")));
    assertEquals("SIYU_SMTP_USER and SIYU_SMTP_PASSWORD must be set together", error(with("SIYU_SMTP_USER", "u")));
    assertEquals("SIYU_SMTP_PORT must be a whole number from 1 to 65535, got '70000'",
        error(with("SIYU_SMTP_PORT", "70000")));
  }

  @Test
  void anEmailNeedsOneAddressBothBodiesAndAWebUnsubscribeLink() {
    assertEquals("an email goes to one address, got 'a@x.com, b@x.com'", assertThrows(IllegalArgumentException.class,
        () -> new EmailMessage("a@x.com, b@x.com", "s", "<p>h</p>", "h", null)).getMessage());
    assertEquals("an email needs a subject of one line", assertThrows(IllegalArgumentException.class,
        () -> new EmailMessage("a@x.com", "s\r\nBcc: all@x.com", "<p>h</p>", "h", null)).getMessage());
    assertEquals("an email needs both an HTML body and its plain-text alternative", assertThrows(
        IllegalArgumentException.class, () -> new EmailMessage("a@x.com", "s", "<p>h</p>", " ", null)).getMessage());
    assertEquals("the unsubscribe link must be an http(s) URL, got 'mailto:u@x.com'", assertThrows(
        IllegalArgumentException.class, () -> new EmailMessage("a@x.com", "s", "<p>h</p>", "h", "mailto:u@x.com"))
        .getMessage());
  }
}
