package io.siyu.outbox;

import io.siyu.contact.TimeZones;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * The limits that need the database because every instance must see the same count: the
 * frequency cap per contact for marketing touches ({@code SIYU_FREQUENCY_CAP}, e.g. "1/day,3/week",
 * counted in the contact's local days) and each channel's provider rate limit (sends started per
 * second). Both are reserved before the send, in one statement each, so two instances never
 * both take the last place.
 */
public final class SendLimits {
  /** {@code perDay} / {@code perWeek} marketing touches per contact (0 = no cap); over it: defer or suppress. */
  public record Cap(int perDay, int perWeek, boolean suppress) {
    static final Cap NONE = new Cap(0, 0, false);

    boolean on() {
      return perDay > 0 || perWeek > 0;
    }

    public static Cap fromEnv(Map<String, String> env) {
      String spec = env.getOrDefault("SIYU_FREQUENCY_CAP", "2/day,5/week").trim();
      String action = env.getOrDefault("SIYU_FREQUENCY_CAP_ACTION", "defer").trim();
      if (!action.equals("defer") && !action.equals("suppress")) {
        throw new IllegalArgumentException("SIYU_FREQUENCY_CAP_ACTION must be defer or suppress, not '" + action + "'");
      }
      if (spec.equals("none")) {
        return NONE;
      }
      int day = 0;
      int week = 0;
      for (String part : spec.split(",")) {
        String[] nPer = part.trim().split("/");
        try {
          int n = Integer.parseInt(nPer[0].trim());
          if (nPer.length != 2 || n < 1) {
            throw new IllegalArgumentException();
          }
          switch (nPer[1].trim()) {
            case "day" -> day = n;
            case "week" -> week = n;
            default -> throw new IllegalArgumentException();
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("SIYU_FREQUENCY_CAP must look like 1/day,3/week (or none), not '" + spec + "'");
        }
      }
      return new Cap(day, week, action.equals("suppress"));
    }
  }

  /**
   * Takes one of the contact's places for {@code $2} (their local day) when both the day's and
   * the last seven days' counts allow it; answers whether it did. The day's row is the lock.
   */
  private static final String RESERVE_CAP = "WITH week AS (SELECT coalesce(sum(sent), 0) AS n FROM contact_send_days "
      + "  WHERE contact_id = $1 AND day > $2::date - 7 AND day < $2::date), "
      + "taken AS (INSERT INTO contact_send_days AS d (contact_id, day, sent) "
      + "  SELECT $1, $2, 1 WHERE $3::int >= 1 AND (SELECT n FROM week) + 1 <= $4::int "
      + "  ON CONFLICT (contact_id, day) DO UPDATE SET sent = d.sent + 1 "
      + "  WHERE d.sent + 1 <= $3::int AND d.sent + 1 + (SELECT n FROM week) <= $4::int RETURNING 1) "
      + "SELECT count(*) AS taken FROM taken";

  private static final String RELEASE_CAP = "UPDATE contact_send_days SET sent = sent - 1 "
      + "WHERE contact_id = $1 AND day = $2 AND sent > 0";

  /** One send started on the channel in this second, if fewer than the limit have been. */
  private static final String RESERVE_RATE = "INSERT INTO channel_rate_windows AS w (channel, second, used) "
      + "VALUES ($1, $2, 1) ON CONFLICT (channel, second) DO UPDATE SET used = w.used + 1 WHERE w.used < $3 RETURNING used";

  private static final String FORGET_RATES = "DELETE FROM channel_rate_windows WHERE second < $1";

  private final SqlClient db;
  private final Cap cap;

  public SendLimits(SqlClient db, Cap cap) {
    this.db = db;
    this.cap = cap;
  }

  /** Whether the cap applies to this touch at all. */
  boolean capped(Touch touch) {
    return cap.on() && touch.marketing();
  }

  boolean suppressOverCap() {
    return cap.suppress();
  }

  /** The contact's local day at {@code now}: the cap's unit. */
  static LocalDate day(Touch touch, Instant now) {
    return now.atZone(TimeZones.of(touch.recipient().timezone())).toLocalDate();
  }

  /** When a touch over the cap is tried again: the start of the contact's next local day. */
  static Instant nextDay(Touch touch, Instant now) {
    ZoneId zone = TimeZones.of(touch.recipient().timezone());
    return day(touch, now).plusDays(1).atStartOfDay(zone).toInstant();
  }

  Future<Boolean> reserveCap(Touch touch, LocalDate day) {
    return db.preparedQuery(RESERVE_CAP)
        .execute(Tuple.of(touch.contactId(), day, cap.perDay() > 0 ? cap.perDay() : Integer.MAX_VALUE - 1,
            cap.perWeek() > 0 ? cap.perWeek() : Integer.MAX_VALUE - 1))
        .map(rows -> rows.iterator().next().getLong("taken") > 0);
  }

  /** Gives the place back: the send it was taken for did not go out. */
  Future<Void> releaseCap(Touch touch, LocalDate day) {
    return db.preparedQuery(RELEASE_CAP).execute(Tuple.of(touch.contactId(), day)).mapEmpty();
  }

  /** Whether a send on {@code channel} may start in this second; limit 0 = unlimited (no database call). */
  Future<Boolean> reserveRate(String channel, int perSecond, Instant now) {
    if (perSecond <= 0) {
      return Future.succeededFuture(true);
    }
    return db.preparedQuery(RESERVE_RATE).execute(Tuple.of(channel, now.getEpochSecond(), perSecond))
        .map(rows -> rows.size() > 0);
  }

  /** Drops the counts of seconds long gone (the sweep calls this). */
  Future<Void> forgetRates(Instant now) {
    return db.preparedQuery(FORGET_RATES).execute(Tuple.of(now.getEpochSecond() - 60)).mapEmpty();
  }
}
