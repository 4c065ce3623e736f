package io.siyu.loyalty.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.app.Services;
import io.siyu.support.Api.Reply;
import io.siyu.support.Await;
import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the lifecycle and RFM tests do on a server of their own: members, purchases, recompute
 * runs, time passing, and the rules evaluated from scratch over every contact to compare with.
 */
final class Members {
  private final OwnServer server;

  Members(OwnServer server) {
    this.server = server;
  }

  long contact() {
    return server.api().post("/api/v1/contacts", new JsonObject().put("openid", "lc-" + UUID.randomUUID())).json().getLong("id");
  }

  void purchase(long contact, String amount, int daysAgo) {
    purchase(contact, amount, Duration.ofDays(daysAgo));
  }

  void purchase(long contact, String amount, Duration ago) {
    Reply r = server.api().post("/api/v1/events", new JsonObject().put("id", "p-" + UUID.randomUUID()).put("type", "purchase")
        .put("contact_id", contact).put("amount", new BigDecimal(amount))
        .put("occurred_at", OffsetDateTime.now().minus(ago).toString()));
    assertEquals(201, r.status(), r.toString());
  }

  String stage(long contact) {
    return server.api().get("/api/v1/contacts/" + contact).json().getString("lifecycle_stage");
  }

  JsonObject recompute() {
    Reply r = server.api().post("/api/v1/loyalty/recompute", new JsonObject());
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  /** A run of a deployment configured with {@code rules}, on this server's database. */
  JsonObject recompute(LifecycleRules rules) throws Exception {
    Services s = server.siyu().services();
    // a recompute reads every contact on the server: more than the usual wait on a busy machine
    return Await.result(new Recompute(s.pool(), rules, s.pointsExpiry(), s.rights()).run(), Duration.ofMinutes(2));
  }

  int sql(String statement, Object... args) throws Exception {
    try (Connection c = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  long count(String query, Object... args) throws Exception {
    try (Connection c = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * As if nothing had written the contacts since before the last lifecycle run's horizon (the
   * earliest write it could have missed): only the rules of time can bring them into the next run.
   */
  void untouchedSinceLastRun(long... contacts) throws Exception {
    for (long c : contacts) {
      sql("UPDATE contacts SET updated_at = (SELECT since FROM recompute_marks WHERE part = 'lifecycle') - interval '1 minute' "
          + "WHERE id = ?", c);
    }
  }

  /**
   * {@code days} pass without a run: every time the rules and the recompute read moves back — the
   * contacts' times (updated_at too), open lots' expiry, and what the last runs remembered.
   */
  void daysPass(int days) throws Exception {
    String back = " - make_interval(days => " + days + ")";
    sql("UPDATE contacts SET first_seen_at = first_seen_at" + back + ", last_interaction_at = last_interaction_at" + back
        + ", last_purchase_at = last_purchase_at" + back + ", updated_at = updated_at" + back);
    sql("UPDATE points_ledger SET expires_at = expires_at" + back + " WHERE remaining > 0");
    sql("UPDATE recompute_marks SET clock = clock" + back + ", since = since" + back
        + ", r = (SELECT array_agg(x" + back + " ORDER BY i) FROM unnest(r) WITH ORDINALITY u(x, i))");
  }

  /**
   * Contacts whose stored stage is not what {@code rules} gave when the last run evaluated them
   * (its clock: a contact crossing a line since then is the next run's).
   */
  long stagesOff(LifecycleRules rules) throws Exception {
    return count("SELECT count(*) FROM contacts c, (SELECT clock FROM recompute_marks WHERE part = 'lifecycle') k "
        + "WHERE c.lifecycle_stage <> CASE "
        + " WHEN coalesce(c.last_interaction_at, c.first_seen_at) < k.clock - make_interval(days => ?) THEN 'churned'"
        + " WHEN coalesce(c.last_purchase_at, c.first_seen_at) < k.clock - make_interval(days => ?) THEN 'dormant'"
        + " WHEN c.purchase_count >= ? OR c.total_spent > ? THEN 'mature'"
        + " WHEN c.purchase_count >= 1 THEN 'growing' ELSE 'new' END",
        rules.churnedDays(), rules.dormantDays(), rules.maturePurchases(), rules.matureSpent());
  }

  /**
   * Contacts whose stored RFM scores are not the quintile scores over today's buying base, or who
   * hold a class without any purchase. A score is one plus how many of the 20/40/60/80 %
   * percentile_disc values lie below the contact's value, plus half (rounded down) of those level
   * with it.
   */
  long rfmOff() throws Exception {
    return count("WITH q AS (SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY last_purchase_at) AS r, "
        + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY purchase_count) AS f, "
        + "  percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY total_spent) AS m "
        + "  FROM contacts WHERE purchase_count > 0) "
        + "SELECT count(*) FROM contacts c, q WHERE CASE WHEN c.purchase_count > 0 "
        + "  THEN (c.rfm_r, c.rfm_f, c.rfm_m) IS DISTINCT FROM ("
        + "    (SELECT 1 + count(*) FILTER (WHERE b < c.last_purchase_at) + count(*) FILTER (WHERE b = c.last_purchase_at) / 2 FROM unnest(q.r) b), "
        + "    (SELECT 1 + count(*) FILTER (WHERE b < c.purchase_count) + count(*) FILTER (WHERE b = c.purchase_count) / 2 FROM unnest(q.f) b), "
        + "    (SELECT 1 + count(*) FILTER (WHERE b < c.total_spent) + count(*) FILTER (WHERE b = c.total_spent) / 2 FROM unnest(q.m) b)) "
        + "  ELSE c.rfm_class IS NOT NULL END");
  }
}
