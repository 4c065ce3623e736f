package io.siyu.channel.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Envs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIYU_SMS_*: defaults and errors that name the variable to fix. */
class SmsSettingsTest {
  private static final Map<String, String> MINIMAL = Map.of("SIYU_SMS_URL", "https://sms.example.com/send",
      "SIYU_SMS_SECRET", "0123456789abcdef");

  private static String error(Map<String, String> env) {
    return Envs.error(SmsSettings::fromEnv, env);
  }

  private static Map<String, String> with(String key, String value) {
    return Envs.with(MINIMAL, key, value);
  }

  @Test
  void defaults() {
    assertTrue(SmsSettings.fromEnv(Map.of()).isEmpty(), "no URL: not configured");
    SmsSettings s = SmsSettings.fromEnv(MINIMAL).orElseThrow();
    assertEquals(20, s.ratePerSecond());
    assertEquals(5000, s.timeoutMs());
    assertEquals(300, s.receiptMaxAgeSeconds());
    assertNull(s.signName());
  }

  @Test
  void mistakesNameTheVariable() {
    assertEquals("SIYU_SMS_URL must be set when SIYU_SMS_SECRET is", error(Map.of("SIYU_SMS_SECRET", "x")));
    assertEquals("SIYU_SMS_SECRET must be set when SIYU_SMS_URL is: requests and receipts are signed with it",
        error(Map.of("SIYU_SMS_URL", "https://sms.example.com")));
    assertEquals("SIYU_SMS_SECRET must be at least 16 characters", error(with("SIYU_SMS_SECRET", "short")));
    assertEquals("SIYU_SMS_URL must be an http:// or https:// URL, got 'sms.example.com'",
        error(with("SIYU_SMS_URL", "sms.example.com")));
    assertEquals("SIYU_SMS_RECEIPT_MAX_AGE_SECONDS must be a whole number from 1 to 86400, got '-5'",
        error(with("SIYU_SMS_RECEIPT_MAX_AGE_SECONDS", "-5")));
  }
}
