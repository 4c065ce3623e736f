package io.siyu.wecom.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Envs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIYU_WECOM_*: defaults, what may be left out, and errors that name the variable to fix. */
class WecomSettingsTest {
  private static final Map<String, String> CONTACT_ONLY = Map.of("SIYU_WECOM_CORP_ID", "ww1", "SIYU_WECOM_SECRET", "s1");

  private static String error(Map<String, String> env) {
    return Envs.error(WecomSettings::fromEnv, env);
  }

  private static Map<String, String> with(String key, String value) {
    return Envs.with(CONTACT_ONLY, key, value);
  }

  @Test
  void withoutACorpIdTheChannelIsNotConfigured() {
    assertTrue(WecomSettings.fromEnv(Map.of()).isEmpty());
    assertTrue(WecomSettings.fromEnv(Map.of("SIYU_WECOM_CORP_ID", " ")).isEmpty(), "blank is unset");
    assertEquals("SIYU_WECOM_CORP_ID must be set when SIYU_WECOM_SECRET is", error(Map.of("SIYU_WECOM_SECRET", "s")));
    assertTrue(WecomSettings.fromEnv(Map.of("SIYU_WECOM_CORP_ID", "ww1", "SIYU_WECOM_TOKEN", "t")).isEmpty(),
        "callbacks only: the corp id with the callback token and no API secret");
  }

  @Test
  void defaults() {
    WecomSettings s = WecomSettings.fromEnv(CONTACT_ONLY).orElseThrow();
    assertEquals("https://qyapi.weixin.qq.com", s.apiBase());
    assertEquals(50, s.ratePerSecond());
    assertEquals(5000, s.timeoutMs());
    assertNull(s.agentId());
    assertTrue(s.customerContactConfigured() && !s.agentConfigured());
  }

  @Test
  void theAgentAloneIsEnough() {
    WecomSettings s = WecomSettings.fromEnv(Map.of("SIYU_WECOM_CORP_ID", "ww1", "SIYU_WECOM_AGENT_ID", "1000002",
        "SIYU_WECOM_AGENT_SECRET", "a1", "SIYU_WECOM_API_BASE", "http://127.0.0.1:9/", "SIYU_WECOM_RATE_PER_SECOND", "7"))
        .orElseThrow();
    assertEquals(1000002, s.agentId());
    assertEquals("http://127.0.0.1:9", s.apiBase(), "no trailing slash: paths are appended");
    assertEquals(7, s.ratePerSecond());
    assertTrue(!s.customerContactConfigured() && s.agentConfigured());
  }

  @Test
  void mistakesNameTheVariable() {
    assertEquals("SIYU_WECOM_SECRET or SIYU_WECOM_AGENT_ID with SIYU_WECOM_AGENT_SECRET must be set when "
        + "SIYU_WECOM_CORP_ID is", error(Map.of("SIYU_WECOM_CORP_ID", "ww1")));
    assertEquals("SIYU_WECOM_AGENT_ID and SIYU_WECOM_AGENT_SECRET must be set together",
        error(with("SIYU_WECOM_AGENT_ID", "1000002")));
    assertEquals("SIYU_WECOM_AGENT_ID must be a whole number from 1 to 2147483647, got 'abc'",
        error(Map.of("SIYU_WECOM_CORP_ID", "ww1", "SIYU_WECOM_AGENT_ID", "abc", "SIYU_WECOM_AGENT_SECRET", "a")));
    assertEquals("SIYU_WECOM_RATE_PER_SECOND must be a whole number from 1 to 10000, got '0'",
        error(with("SIYU_WECOM_RATE_PER_SECOND", "0")));
    assertEquals("SIYU_WECOM_API_BASE must be an http:// or https:// URL, got 'qyapi.weixin.qq.com'",
        error(with("SIYU_WECOM_API_BASE", "qyapi.weixin.qq.com")));
    assertEquals("SIYU_WECOM_TIMEOUT_MS must be a whole number from 1 to 600000, got '5s'",
        error(with("SIYU_WECOM_TIMEOUT_MS", "5s")));
  }
}
