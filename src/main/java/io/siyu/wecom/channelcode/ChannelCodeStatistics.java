package io.siyu.wecom.channelcode;

import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A channel code's growth by day: customers added through it (a relation that began: a customer
 * who adds the same staff member twice without leaving in between counts once), relations that
 * ended (the staff member deleted the customer, or the customer deleted the staff member), and the
 * net, for each day of a range in {@code SIYU_DEFAULT_TIMEZONE}. The counts come from the changes
 * the callbacks recorded, through the index on (code, time).
 */
public final class ChannelCodeStatistics {
  static final int MAX_DAYS = 366;
  static final int DEFAULT_DAYS = 30;
  private static final String BY_DAY = "WITH x AS (SELECT (occurred_at AT TIME ZONE $4)::date AS day, effect "
      + "  FROM wecom_contact_changes WHERE channel_code_id = $1 "
      + "  AND occurred_at >= ($2::date::timestamp AT TIME ZONE $4) AND occurred_at < (($3::date + 1)::timestamp AT TIME ZONE $4) "
      + "  AND effect IN ('added', 'deleted_by_staff', 'deleted_by_customer')) "
      + "SELECT d::date AS day, count(x.effect) FILTER (WHERE x.effect = 'added') AS adds, "
      + "  count(x.effect) FILTER (WHERE x.effect = 'deleted_by_staff') AS deleted_by_staff, "
      + "  count(x.effect) FILTER (WHERE x.effect = 'deleted_by_customer') AS deleted_by_customer "
      + "FROM generate_series($2::date, $3::date, interval '1 day') d LEFT JOIN x ON x.day = d::date "
      + "GROUP BY d ORDER BY d";
  private static final Set<String> PARAMS = Set.of("from", "to");

  private final Pool pool;
  private final ChannelCodeService codes;
  private final String timezone;

  public ChannelCodeStatistics(Pool pool, ChannelCodeService codes, String timezone) {
    this.pool = pool;
    this.codes = codes;
    this.timezone = timezone;
  }

  /** {@code ?from=2026-11-01&to=2026-11-30} (dates, both included); by default the last 30 days. */
  public Future<JsonObject> byDay(long codeId, MultiMap params) {
    params.names().stream().filter(n -> !PARAMS.contains(n)).sorted().findFirst().ifPresent(n -> {
      throw Problem.invalid(n, "is not a parameter of channel code statistics (from, to)");
    });
    LocalDate to = date(params, "to", LocalDate.now(ZoneId.of(timezone)));
    LocalDate from = date(params, "from", to.minusDays(DEFAULT_DAYS - 1));
    if (from.isAfter(to)) {
      throw Problem.invalid("from", "must not be after to");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw Problem.invalid("from", "the range may span at most " + MAX_DAYS + " days");
    }
    return codes.get(codeId).compose(code -> pool.preparedQuery(BY_DAY).execute(Tuple.of(codeId, from, to, timezone)))
        .map(rows -> {
          JsonArray days = new JsonArray();
          long adds = 0;
          long deletions = 0;
          for (Row r : rows) {
            long dayAdds = r.getLong("adds");
            long dayDeletions = r.getLong("deleted_by_staff") + r.getLong("deleted_by_customer");
            adds += dayAdds;
            deletions += dayDeletions;
            days.add(new JsonObject().put("day", r.getLocalDate("day").toString()).put("adds", dayAdds)
                .put("deletions", dayDeletions).put("deleted_by_staff", r.getLong("deleted_by_staff"))
                .put("deleted_by_customer", r.getLong("deleted_by_customer")).put("net", dayAdds - dayDeletions));
          }
          return new JsonObject().put("channel_code_id", codeId).put("from", from.toString()).put("to", to.toString())
              .put("timezone", timezone)
              .put("totals", new JsonObject().put("adds", adds).put("deletions", deletions).put("net", adds - deletions))
              .put("days", days);
        });
  }

  private static LocalDate date(MultiMap params, String name, LocalDate otherwise) {
    String raw = params.get(name);
    if (raw == null) {
      return otherwise;
    }
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be a date like 2026-11-01");
    }
  }
}
