package io.siyu.journey;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Birthday entry: contacts whose birthday it is today, in their own time zone, enter each
 * birthday journey once the local hour of the journey ({@code siyu.hour}) has come. Someone born
 * on 29 February enters on 28 February in a year without one. The scan runs every quarter of an
 * hour (time zones are not all whole hours apart, and a server that was down catches up later the
 * same day) and only ever reads the few days' birthdays through the birthday index; entries made
 * before are skipped in SQL, and the journey_entries key would refuse them anyway.
 */
public final class BirthdayScan {
  private static final String LOCAL = "(?::timestamptz AT TIME ZONE c.timezone)";

  private final DataSource jdbc;
  private final JourneyRegistry registry;
  private final JourneyEntries entries;

  BirthdayScan(DataSource jdbc, JourneyRegistry registry, JourneyEntries entries) {
    this.jdbc = jdbc;
    this.registry = registry;
    this.entries = entries;
  }

  /** Blocking: enters every contact whose birthday hour has come at {@code now}, into every active birthday journey. */
  public JsonObject run(Instant now) throws SQLException {
    JsonArray journeys = new JsonArray();
    for (JourneyRegistry.Entry journey : registry.ofTrigger(Set.of("birthday"))) {
      List<JourneyEntries.Candidate> due = due(journey, now);
      JourneyEntries.Counts counts = entries.enterMany(journey, due, "birthday", c -> { });
      journeys.add(counts.toJson().put("journey", journey.key()).put("due", due.size()));
    }
    return new JsonObject().put("journeys", journeys);
  }

  private List<JourneyEntries.Candidate> due(JourneyRegistry.Entry journey, Instant now) throws SQLException {
    List<JourneyEntries.Candidate> due = new ArrayList<>();
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(dueSql(journey.trigger().reentry()))) {
      bindDue(c, st, now, journey.trigger().hour(), journey.key());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          due.add(new JourneyEntries.Candidate(rs.getLong(1), rs.getString(2)));
        }
      }
    }
    return due;
  }

  /**
   * The candidates query for a journey with this re-entry policy: contact id and entry key of every
   * contact whose birthday hour has come and who has not entered for it. Public for the benchmark,
   * which explains the very query the scan runs.
   */
  public static String dueSql(Trigger.Reentry reentry) {
    String entryKey = reentry.sqlKey("local.at");
    return "WITH local AS (SELECT c.id, " + LOCAL + " AS at, c.birth_month, c.birth_day FROM contacts c "
        + "  WHERE c.birthday IS NOT NULL "
        + "  AND (c.birth_month, c.birth_day) IN (SELECT * FROM unnest(?::smallint[], ?::smallint[]))) "
        + "SELECT local.id, " + entryKey + " AS entry_key FROM local "
        + "WHERE extract(hour FROM local.at) >= ? "
        + "AND ((local.birth_month = extract(month FROM local.at) AND local.birth_day = extract(day FROM local.at)) "
        // 29 February, in a year without one, is celebrated on the 28th
        + "  OR (local.birth_month = 2 AND local.birth_day = 29 AND extract(month FROM local.at) = 2 "
        + "      AND extract(day FROM local.at) = 28 "
        + "      AND extract(day FROM make_date(extract(year FROM local.at)::int, 3, 1) - 1) = 28)) "
        + "AND NOT EXISTS (SELECT 1 FROM journey_entries e WHERE e.journey_key = ? AND e.contact_id = local.id "
        + "  AND e.entry_key = " + entryKey + ") ORDER BY local.id";
  }

  /** Binds {@link #dueSql}'s parameters: the moment, the days it can be a birthday, the hour, the journey. */
  public static void bindDue(Connection c, PreparedStatement st, Instant now, int hour, String journeyKey) throws SQLException {
    List<MonthDay> days = candidateDays(now);
    st.setObject(1, now.atOffset(ZoneOffset.UTC));
    st.setArray(2, c.createArrayOf("int2", days.stream().map(d -> (short) d.getMonthValue()).toArray()));
    st.setArray(3, c.createArrayOf("int2", days.stream().map(d -> (short) d.getDayOfMonth()).toArray()));
    st.setInt(4, hour);
    st.setString(5, journeyKey);
  }

  /**
   * The birthdays that can be "today" somewhere at {@code now}: local dates lie within a day of
   * the UTC date (zones run from UTC−12 to UTC+14), plus 29 February when one of them is the 28th
   * of a year without it.
   */
  static List<MonthDay> candidateDays(Instant now) {
    LocalDate utc = now.atOffset(ZoneOffset.UTC).toLocalDate();
    Set<MonthDay> days = new LinkedHashSet<>();
    for (LocalDate d = utc.minusDays(1); !d.isAfter(utc.plusDays(1)); d = d.plusDays(1)) {
      days.add(MonthDay.from(d));
      if (d.getMonthValue() == 2 && d.getDayOfMonth() == 28 && !d.isLeapYear()) {
        days.add(MonthDay.of(2, 29));
      }
    }
    return List.copyOf(days);
  }
}
