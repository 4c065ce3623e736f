package io.siyu.outbox;

import io.siyu.env.Env;
import io.siyu.locale.TimeZones;
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
      String spec = new Env(env).string("SIYU_FREQUENCY_CAP", "2/day,5/week");
      String action = new Env(env).string("SIYU_FREQUENCY_CAP_ACTION", "defer");
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
   * Places for many contacts at once (parallel arrays: contact, local day, places wanted): each
   * contact gets what its day's and week's counts leave, all or part of what it wants. A row
   * another instance raised meanwhile is not raised past the cap (the conflict's WHERE): such a
   * contact gets nothing this time and its touches wait.
   */
  private static final String RESERVE_CAPS = "WITH r AS (SELECT * FROM unnest($1::bigint[], $2::date[], $3::int[]) "
      + "  AS r (contact_id, day, wanted)), "
      // one range of each contact's days, read per contact (a lateral subquery, not a join: a join
      // planned from an empty table's statistics scans the whole table)
      + "cur AS (SELECT r.*, coalesce(s.today, 0) AS today, coalesce(s.week, 0) AS week FROM r, LATERAL ("
      + "  SELECT sum(d.sent) FILTER (WHERE d.day = r.day) AS today, sum(d.sent) FILTER (WHERE d.day < r.day) AS week "
      + "  FROM contact_send_days d WHERE d.contact_id = r.contact_id AND d.day > r.day - 7 AND d.day <= r.day) s), "
      + "granted AS (SELECT contact_id, day, greatest(0, least(wanted, $4::int - today, $5::int - today - week))::int AS n "
      + "  FROM cur), "
      + "taken AS (INSERT INTO contact_send_days AS d (contact_id, day, sent) SELECT contact_id, day, n FROM granted WHERE n > 0 "
      + "  ON CONFLICT (contact_id, day) DO UPDATE SET sent = d.sent + EXCLUDED.sent "
      + "  WHERE d.sent + EXCLUDED.sent <= $4::int RETURNING d.contact_id, d.day) "
      + "SELECT g.contact_id, g.day, g.n FROM granted g JOIN taken t ON t.contact_id = g.contact_id AND t.day = g.day";

  /** How many places a contact wants on a local day. */
  record Wanted(long contactId, LocalDate day, int places) {}

  /** Reserves for many contacts in one statement; answers the places granted per contact and day (absent: none). */
  Future<java.util.Map<Wanted, Integer>> reserveCaps(java.util.List<Wanted> wanted) {
    Long[] contacts = wanted.stream().map(Wanted::contactId).toArray(Long[]::new);
    LocalDate[] days = wanted.stream().map(Wanted::day).toArray(LocalDate[]::new);
    Integer[] places = wanted.stream().map(Wanted::places).toArray(Integer[]::new);
    return db.preparedQuery(RESERVE_CAPS)
        .execute(Tuple.tuple().addValue(contacts).addValue(days).addValue(places).addValue(perDay()).addValue(perWeek()))
        .map(rows -> {
          java.util.Map<Wanted, Integer> granted = new java.util.HashMap<>();
          java.util.Map<String, Wanted> byKey = new java.util.HashMap<>();
          wanted.forEach(w -> byKey.put(w.contactId() + "/" + w.day(), w));
          rows.forEach(r -> granted.put(byKey.get(r.getLong("contact_id") + "/" + r.getLocalDate("day")), r.getInteger("n")));
          return granted;
        });
  }

  private int perDay() {
    return cap.perDay() > 0 ? cap.perDay() : Integer.MAX_VALUE - 1;
  }

  private int perWeek() {
    return cap.perWeek() > 0 ? cap.perWeek() : Integer.MAX_VALUE - 1;
  }

  private static final String RELEASE_CAP = "UPDATE contact_send_days SET sent = sent - 1 "
      + "WHERE contact_id = $1 AND day = $2 AND sent > 0";

  /** One send started on the channel in this second, if fewer than the limit have been. */
  private static final String RESERVE_RATE = "INSERT INTO channel_rate_windows AS w (channel, second, used) "
      + "VALUES ($1, $2, 1) ON CONFLICT (channel, second) DO UPDATE SET used = w.used + 1 WHERE w.used < $3 RETURNING used";

  private static final String FORGET_RATES = "DELETE FROM channel_rate_windows WHERE second < $1";

  /** Places of days no cap looks at any more (a week back, and a day for time zones). */
  private static final String FORGET_OLD_DAYS = "DELETE FROM contact_send_days WHERE day < $1";
  /** How often old places are dropped: the statement reads the whole table. */
  static final long FORGET_DAYS_EVERY_MS = 3_600_000;

  private final SqlClient db;
  private final Cap cap;
  /** When {@link #forget} next drops old days' places (0: at its first call). */
  private long nextDaysForgetAt;

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

  /**
   * Drops the counts of seconds long gone, and once an hour the places of days older than a
   * week (the dispatcher calls this now and then, on its context).
   */
  Future<Void> forget(Instant now) {
    Future<Void> rates = db.preparedQuery(FORGET_RATES).execute(Tuple.of(now.getEpochSecond() - 60)).mapEmpty();
    if (now.toEpochMilli() < nextDaysForgetAt) {
      return rates;
    }
    nextDaysForgetAt = now.toEpochMilli() + FORGET_DAYS_EVERY_MS;
    return rates.compose(v -> forgetOldDays(now));
  }

  /** Drops the places of days no cap counts any more. */
  Future<Void> forgetOldDays(Instant now) {
    LocalDate before = now.atOffset(java.time.ZoneOffset.UTC).toLocalDate().minusDays(8);
    return db.preparedQuery(FORGET_OLD_DAYS).execute(Tuple.of(before)).mapEmpty();
  }
}
