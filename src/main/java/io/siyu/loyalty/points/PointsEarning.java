package io.siyu.loyalty.points;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns newly stored events into points, inside event ingestion's transaction (which has already
 * locked the contacts, as every points change must). Each earn is keyed by its event, so a replay
 * or retry never earns twice. Purchases and surveys are priced in one set-based statement; sign-ins
 * go one by one because each continues or breaks a streak.
 */
public final class PointsEarning {
  private static final java.util.Set<String> PRICED = java.util.Set.of("purchase", "survey.completed");

  private static final String BY_RULE = "WITH tm AS (SELECT * FROM unnest($2::text[], $3::text[]) AS t(tier, mult)), "
      + "cm AS (SELECT * FROM unnest($4::text[], $5::text[]) AS t(category, mult)), "
      + "cw AS (SELECT * FROM unnest($6::text[], $7::text[], $8::text[]) AS t(from_day, to_day, mult)), "
      + "e AS (SELECT e.event_key, e.contact_id, e.type, e.amount, e.occurred_at, c.tier, e.properties ->> 'category' AS category, "
      + "  (e.occurred_at AT TIME ZONE $11::text)::date AS day "
      + "  FROM events e JOIN contacts c ON c.id = e.contact_id "
      + "  WHERE e.id = ANY($1::bigint[]) AND e.type IN ('purchase', 'survey.completed')), "
      + "p AS (SELECT e.*, CASE WHEN e.type = 'purchase' THEN floor(e.amount * $9::numeric "
      + "    * coalesce((SELECT tm.mult::numeric FROM tm WHERE tm.tier = e.tier), 1) "
      + "    * coalesce((SELECT cm.mult::numeric FROM cm WHERE cm.category = e.category), 1) "
      + "    * coalesce((SELECT max(cw.mult::numeric) FROM cw WHERE e.day BETWEEN cw.from_day::date AND cw.to_day::date), 1))::int "
      + "  ELSE $10::int END AS points FROM e), "
      + PointsCredit.sql("SELECT contact_id, points, type AS reason, 'event:' || event_key AS key, occurred_at AS earned_at FROM p",
          "$12",
          "system:earning");

  /** Moves the streak on if this sign-in is on a new day; no row back means it earns nothing. */
  private static final String STREAK = "WITH old AS (SELECT id, last_sign_in_day AS day, sign_in_streak AS streak "
      + "  FROM contacts WHERE id = $1) "
      + "UPDATE contacts c SET last_sign_in_day = $2::date, sign_in_streak = CASE WHEN old.day = $2::date - 1 "
      + "  THEN old.streak + 1 ELSE 1 END FROM old WHERE c.id = old.id AND (old.day IS NULL OR old.day < $2::date) "
      + "RETURNING c.sign_in_streak";

  private static final String EARN_ONE = "WITH " + PointsCredit.sql(
      "SELECT $1::bigint AS contact_id, $2::int AS points, 'sign_in' AS reason, $4::text AS key, $5::timestamptz AS earned_at",
      "$3", "system:earning");

  private final EarningRules rules;
  private final int validityMonths;

  public PointsEarning(EarningRules rules, int validityMonths) {
    this.rules = rules;
    this.validityMonths = validityMonths;
  }

  /** {@code events} are the newly stored ones, as the events API shows them (with {@code seq}). */
  public Future<Void> apply(SqlClient conn, Collection<JsonObject> events) {
    Long[] ids = events.stream().map(e -> e.getLong("seq")).toArray(Long[]::new);
    // most batches hold no purchase or survey: they skip the pricing statement
    boolean priced = events.stream().anyMatch(e -> PRICED.contains(e.getString("type")));
    Future<Void> chain = priced ? conn.preparedQuery(BY_RULE).execute(byRuleParams(ids)).mapEmpty()
        : Future.succeededFuture();
    List<JsonObject> signIns = new ArrayList<>(events.stream().filter(e -> "sign_in".equals(e.getString("type"))).toList());
    signIns.sort(java.util.Comparator.comparing((JsonObject e) -> e.getString("occurred_at")));
    for (JsonObject e : signIns) {
      chain = chain.compose(v -> signIn(conn, e));
    }
    return chain;
  }

  private Future<Void> signIn(SqlClient conn, JsonObject event) {
    OffsetDateTime at = OffsetDateTime.parse(event.getString("occurred_at"));
    java.time.LocalDate day = at.atZoneSameInstant(ZoneId.of(rules.zone())).toLocalDate();
    long contact = event.getLong("contact_id");
    return conn.preparedQuery(STREAK).execute(Tuple.of(contact, day)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(); // a second sign-in the same day, or one older than the last
      }
      int points = rules.signInPoints(rows.iterator().next().getInteger("sign_in_streak"));
      return conn.preparedQuery(EARN_ONE)
          .execute(Tuple.of(contact, points, validityMonths, "event:" + event.getString("id"), at))
          .mapEmpty();
    });
  }

  private Tuple byRuleParams(Long[] ids) {
    return Tuple.tuple().addValue(ids)
        .addValue(rules.tierMultipliers().keySet().toArray(String[]::new))
        .addValue(rules.tierMultipliers().values().stream().map(BigDecimal::toPlainString).toArray(String[]::new))
        .addValue(rules.categoryMultipliers().keySet().toArray(String[]::new))
        .addValue(rules.categoryMultipliers().values().stream().map(BigDecimal::toPlainString).toArray(String[]::new))
        .addValue(rules.campaigns().stream().map(c -> c.from().toString()).toArray(String[]::new))
        .addValue(rules.campaigns().stream().map(c -> c.to().toString()).toArray(String[]::new))
        .addValue(rules.campaigns().stream().map(c -> c.factor().toPlainString()).toArray(String[]::new))
        .addValue(rules.perYuan())
        .addValue(rules.survey())
        .addValue(rules.zone())
        .addValue(validityMonths);
  }
}
