package io.siyu.outbox;

import io.siyu.env.Env;
import io.siyu.locale.TimeZones;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dispatcher does with a claimed touch before any provider is asked: which channel it
 * goes out on (the one asked for, else the first in the fallback order the contact can be reached
 * on and has not refused), or that it is suppressed (nowhere to send it), or deferred (quiet hours
 * in the contact's time zone, for marketing touches). A pure function of the touch, its contact and
 * the time; the frequency cap and the rate limits need the database and come after it
 * ({@link SendLimits}).
 */
public final class SendingPolicy {
  /** The answer for one touch. */
  public sealed interface Decision {}

  public record Send(String channel) implements Decision {}

  public record Defer(Instant until, String reason) implements Decision {}

  public record Suppress(String reason) implements Decision {}

  /**
   * {@code SIYU_CHANNEL_FALLBACK}: channels tried in order after the one asked for ("none": no
   * fallback); {@code SIYU_CONSENT_REQUIRED}: channels on which marketing needs the contact's
   * explicit yes (elsewhere only an explicit no stops it); {@code SIYU_QUIET_HOURS}: local hours
   * without marketing touches, e.g. 21:00-09:00, or "none".
   */
  public record Settings(List<String> fallback, Set<String> consentRequired, QuietHours quietHours) {
    public static Settings fromEnv(Map<String, String> env) {
      return new Settings(channels(env, "SIYU_CHANNEL_FALLBACK", "wecom,sms,email"),
          new LinkedHashSet<>(channels(env, "SIYU_CONSENT_REQUIRED", "sms,email")),
          QuietHours.parse("SIYU_QUIET_HOURS", new Env(env).string("SIYU_QUIET_HOURS", "21:00-09:00")));
    }

    private static List<String> channels(Map<String, String> env, String key, String dflt) {
      String v = new Env(env).string(key, dflt);
      if (v.equals("none") || v.isEmpty()) {
        return List.of();
      }
      List<String> out = Arrays.stream(v.split(",")).map(String::trim).toList();
      if (out.stream().anyMatch(c -> !c.matches("[a-z][a-z0-9_]{0,31}"))) {
        throw new IllegalArgumentException(key + " must be a comma-separated list of channel names or none, not '" + v + "'");
      }
      return out;
    }
  }

  /** Local quiet hours, start inclusive, end exclusive; may run over midnight. Null: none. */
  public record QuietHours(LocalTime start, LocalTime end) {
    static QuietHours parse(String key, String spec) {
      if (spec.trim().equals("none")) {
        return null;
      }
      try {
        String[] parts = spec.trim().split("\\s*-\\s*");
        QuietHours q = new QuietHours(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        if (parts.length == 2 && !q.start().equals(q.end())) {
          return q;
        }
      } catch (RuntimeException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(key + " must look like 21:00-09:00 or be none, not '" + spec + "'");
    }

    boolean contains(LocalTime t) {
      return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /** The first moment after {@code at} (which is inside) when the quiet hours are over. */
    ZonedDateTime over(ZonedDateTime at) {
      ZonedDateTime end = at.toLocalDate().atTime(this.end).atZone(at.getZone());
      return end.isAfter(at) ? end : end.plusDays(1);
    }
  }

  private final Settings settings;

  public SendingPolicy(Settings settings) {
    this.settings = settings;
  }

  /**
   * {@code available}: the channels this instance has loaded and configured. A touch whose own
   * channel is not among them goes to that channel anyway, to fail there as a dead letter: that is
   * Siyu's configuration to fix (and the touch to requeue), not the contact's choice. Fallback is
   * for contacts the asked channel cannot reach.
   */
  public Decision decide(Touch touch, Set<String> available, Instant now) {
    if (!available.contains(touch.channel())) {
      return new Send(touch.channel());
    }
    List<String> refused = new ArrayList<>();
    String channel = null;
    for (String candidate : candidates(touch.channel())) {
      String why = available.contains(candidate) ? unreachable(touch, candidate) : "not configured";
      if (why == null) {
        channel = candidate;
        break;
      }
      refused.add(candidate + ": " + why);
    }
    if (channel == null) {
      return new Suppress("no channel reaches the contact (" + String.join("; ", refused) + ")");
    }
    if (touch.marketing() && settings.quietHours() != null) {
      ZonedDateTime local = now.atZone(TimeZones.of(touch.recipient().timezone()));
      if (settings.quietHours().contains(local.toLocalTime())) {
        ZonedDateTime over = settings.quietHours().over(local);
        return new Defer(over.toInstant(), "quiet hours in " + local.getZone() + " until " + over.toLocalTime());
      }
    }
    return new Send(channel);
  }

  private List<String> candidates(String asked) {
    Set<String> order = new LinkedHashSet<>();
    order.add(asked);
    order.addAll(settings.fallback());
    return List.copyOf(order);
  }

  /** Why the touch cannot go out on {@code channel}, or null when it can. */
  private String unreachable(Touch touch, String channel) {
    if (!touch.recipient().reachable(channel)) {
      return "no address";
    }
    Boolean consent = touch.recipient().consent(channel);
    if (Boolean.FALSE.equals(consent)) {
      return "opted out";
    }
    if (touch.marketing() && consent == null && settings.consentRequired().contains(channel)) {
      return "no consent to marketing";
    }
    return null;
  }
}
