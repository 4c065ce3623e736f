package io.siyu.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sending policy's decisions: channel and fallback, consent, addresses, quiet hours; and its settings. */
class SendingPolicyTest {
  private static final Set<String> ALL = Set.of("wecom", "sms", "email", "webhook", "log");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant NOON = LocalDateTime.of(2026, 11, 23, 12, 0).atZone(SHANGHAI).toInstant();

  private static SendingPolicy policy(String... env) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < env.length; i += 2) {
      m.put(env[i], env[i + 1]);
    }
    return new SendingPolicy(SendingPolicy.Settings.fromEnv(m));
  }

  private static Touch touch(String channel, String kind, JsonObject consent, String timezone) {
    return new Touch(1, "k", 7, "welcome", "pi", "send", channel, "welcome", new JsonObject(), 1, kind,
        new Recipient("+8613900000000", null, "wm-ext-1", "staff-1", timezone, consent), null, 0);
  }

  @Test
  void theChannelAskedForWhenItReachesTheContact() {
    SendingPolicy.Decision d = policy().decide(touch("wecom", "marketing", new JsonObject(), null), ALL, NOON);
    assertEquals(new SendingPolicy.Send("wecom"), d);
  }

  @Test
  void fallsBackInOrderPastOptOutsMissingAddressesAndMissingConsent() {
    // wecom refused, sms needs an explicit yes for marketing, email has no address: nothing reaches
    Touch t = touch("wecom", "marketing", new JsonObject().put("wecom", false), null);
    SendingPolicy.Decision d = policy().decide(t, ALL, NOON);
    SendingPolicy.Suppress s = assertInstanceOf(SendingPolicy.Suppress.class, d);
    assertTrue(s.reason().contains("wecom: opted out"), s.reason());
    assertTrue(s.reason().contains("sms: no consent to marketing"), s.reason());
    assertTrue(s.reason().contains("email: no address"), s.reason());

    // with the contact's yes to sms, sms is next in the order
    Touch yesSms = touch("wecom", "marketing", new JsonObject().put("wecom", false).put("sms", true), null);
    assertEquals(new SendingPolicy.Send("sms"), policy().decide(yesSms, ALL, NOON));
    // a transactional touch needs no yes, only no "no"
    assertEquals(new SendingPolicy.Send("sms"),
        policy().decide(touch("wecom", "transactional", new JsonObject().put("wecom", false), null), ALL, NOON));
    // without fallback the asked channel is the only one
    assertInstanceOf(SendingPolicy.Suppress.class, policy("SIYU_CHANNEL_FALLBACK", "none").decide(yesSms, ALL, NOON));
    // a fallback channel this instance does not have is skipped
    assertEquals(new SendingPolicy.Send("sms"), policy().decide(touch("log", "marketing",
        new JsonObject().put("log", false).put("sms", true), null), Set.of("sms", "log"), NOON));
    // the asked channel itself, when missing, is tried anyway: it fails there as a dead letter to fix and requeue
    assertEquals(new SendingPolicy.Send("pigeon"), policy().decide(touch("pigeon", "marketing", new JsonObject(), null), ALL, NOON));
  }

  @Test
  void marketingWaitsOutQuietHoursInTheContactsZone() {
    Instant lateInShanghai = LocalDateTime.of(2026, 11, 23, 22, 30).atZone(SHANGHAI).toInstant();
    SendingPolicy.Decision d = policy().decide(touch("wecom", "marketing", new JsonObject(), "Asia/Shanghai"), ALL,
        lateInShanghai);
    SendingPolicy.Defer defer = assertInstanceOf(SendingPolicy.Defer.class, d);
    assertEquals(LocalDateTime.of(2026, 11, 24, 9, 0).atZone(SHANGHAI).toInstant(), defer.until());
    // the same moment is 15:30 in Berlin: no quiet hours there
    assertEquals(new SendingPolicy.Send("wecom"),
        policy().decide(touch("wecom", "marketing", new JsonObject(), "Europe/Berlin"), ALL, lateInShanghai));
    // transactional touches are not held back
    assertEquals(new SendingPolicy.Send("wecom"),
        policy().decide(touch("wecom", "transactional", new JsonObject(), "Asia/Shanghai"), ALL, lateInShanghai));
    // quiet hours within one day: 12:00-14:00 holds a noon touch until 14:00 the same day
    SendingPolicy.Defer lunch = assertInstanceOf(SendingPolicy.Defer.class, policy("SIYU_QUIET_HOURS", "12:00-14:00")
        .decide(touch("wecom", "marketing", new JsonObject(), null), ALL, NOON));
    assertEquals(LocalDateTime.of(2026, 11, 23, 14, 0).atZone(SHANGHAI).toInstant(), lunch.until());
    assertEquals(new SendingPolicy.Send("wecom"), policy("SIYU_QUIET_HOURS", "none")
        .decide(touch("wecom", "marketing", new JsonObject(), "Asia/Shanghai"), ALL, lateInShanghai));
  }

  @Test
  void settingsAreCheckedWithClearMessages() {
    IllegalArgumentException quiet = assertThrows(IllegalArgumentException.class, () -> policy("SIYU_QUIET_HOURS", "late"));
    assertTrue(quiet.getMessage().contains("SIYU_QUIET_HOURS"), quiet.getMessage());
    assertThrows(IllegalArgumentException.class, () -> policy("SIYU_CHANNEL_FALLBACK", "sms;email"));
    IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
        () -> SendLimits.Cap.fromEnv(Map.of("SIYU_FREQUENCY_CAP", "3/month")));
    assertTrue(cap.getMessage().contains("SIYU_FREQUENCY_CAP"), cap.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SendLimits.Cap.fromEnv(Map.of("SIYU_FREQUENCY_CAP_ACTION", "drop")));
    assertEquals(new SendLimits.Cap(1, 3, true),
        SendLimits.Cap.fromEnv(Map.of("SIYU_FREQUENCY_CAP", "1/day, 3/week", "SIYU_FREQUENCY_CAP_ACTION", "suppress")));
    assertEquals(new SendLimits.Cap(2, 5, false), SendLimits.Cap.fromEnv(Map.of()));
  }
}
