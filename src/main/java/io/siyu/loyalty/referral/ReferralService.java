package io.siyu.loyalty.referral;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.loyalty.points.PointsCredit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.security.SecureRandom;

/**
 * Referral (转介绍). A contact's invite code is made on first request. A {@code member.registered}
 * event carrying {@code properties.invite_code} links the new member to the code's owner — once,
 * never to themselves — and rewards the referrer with points and a {@code referral.registered}
 * event (which earns growth by its rule). The referee's first purchase gives the referrer a share
 * of the points that purchase earned. Rewards are keyed by the referee, so no replay, retry or
 * second code pays twice.
 */
public final class ReferralService {
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray(); // no 0/O, 1/I
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Links referees and logs the referrer's event, which happened when the referee registered (its
   * reward expires counting from then); answers the new events' ids (for growth).
   */
  private static final String LINK = "WITH reg AS (SELECT DISTINCT ON (e.contact_id) e.contact_id AS referee, r.id AS referrer, "
      + "  e.occurred_at "
      + "  FROM events e JOIN contacts r ON r.invite_code = e.properties ->> 'invite_code' "
      + "  WHERE e.id = ANY($1::bigint[]) AND e.type = 'member.registered' AND r.id <> e.contact_id ORDER BY e.contact_id, e.id), "
      + "linked AS (UPDATE contacts c SET referred_by = reg.referrer, referred_at = now() FROM reg "
      + "  WHERE c.id = reg.referee AND c.referred_by IS NULL RETURNING c.id AS referee, reg.referrer, reg.occurred_at) "
      + "INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "SELECT 'referral.registered:' || referee, referrer, 'referral.registered', occurred_at, "
      + "  jsonb_build_object('referee_id', referee), 'siyu' FROM linked ON CONFLICT (event_key) DO NOTHING "
      + "RETURNING id, contact_id";

  /** The referrers this batch will pay, locked in id order like every points change. */
  private static final String LOCK_REFERRERS = "SELECT id FROM contacts WHERE id IN ("
      + "  SELECT c.referred_by FROM events e JOIN contacts c ON c.id = e.contact_id "
      + "  WHERE e.id = ANY($1::bigint[]) AND c.referred_by IS NOT NULL "
      + "  UNION SELECT contact_id FROM events WHERE id = ANY($2::bigint[])) ORDER BY id FOR UPDATE";

  /** Points for the referrer: a fixed sum per registration, a share of the first purchase's points. */
  private static final String REWARD = "WITH reg AS (SELECT e.contact_id AS referrer, "
      + "  'referral:registered:' || (e.properties ->> 'referee_id') AS key, $3::int AS points, 'referral.registered' AS reason, "
      + "  e.occurred_at "
      + "  FROM events e WHERE e.id = ANY($2::bigint[])), "
      + "first_order AS (SELECT DISTINCT ON (c.id) c.referred_by AS referrer, 'referral:first_order:' || c.id AS key, "
      + "  floor(l.points * $4::numeric)::int AS points, 'referral.first_order' AS reason, e.occurred_at "
      + "  FROM events e JOIN contacts c ON c.id = e.contact_id "
      + "  JOIN points_ledger l ON l.idempotency_key = 'event:' || e.event_key "
      + "  WHERE e.id = ANY($1::bigint[]) AND e.type = 'purchase' AND c.referred_by IS NOT NULL ORDER BY c.id, e.id), "
      + PointsCredit.sql("SELECT referrer AS contact_id, points, reason, key, occurred_at AS earned_at FROM reg "
          + "UNION ALL SELECT referrer, points, reason, key, occurred_at FROM first_order", "$5", "system:referral");

  /** Makes the invite code if the contact has none yet, and answers it with the contact's referees. */
  private static final String INVITE_CODE = "UPDATE contacts SET invite_code = coalesce(invite_code, $2) "
      + "WHERE id = $1 RETURNING id AS contact_id, invite_code, "
      + "(SELECT count(*) FROM contacts r WHERE r.referred_by = $1) AS referees";

  private final Pool pool;
  private final int registerPoints;
  private final BigDecimal firstOrderShare;
  private final int validityMonths;

  public ReferralService(Pool pool, int registerPoints, BigDecimal firstOrderShare, int validityMonths) {
    this.pool = pool;
    this.registerPoints = registerPoints;
    this.firstOrderShare = firstOrderShare;
    this.validityMonths = validityMonths;
  }

  /**
   * Inside event ingestion (after points were earned for the batch): links, rewards, and answers
   * the ids of the {@code referral.registered} events it wrote, so growth can count them too.
   */
  public Future<Long[]> apply(SqlClient conn, java.util.Collection<JsonObject> events) {
    Long[] eventIds = events.stream().map(e -> e.getLong("seq")).toArray(Long[]::new);
    // only a registration with an invite code links, and only a link or a purchase can pay: most
    // batches (a registration without a code, a page view) skip all three statements
    return link(conn, events, eventIds).compose(referralEvents -> {
      if (referralEvents.length == 0 && events.stream().noneMatch(e -> "purchase".equals(e.getString("type")))) {
        return Future.succeededFuture(referralEvents);
      }
      return conn.preparedQuery(LOCK_REFERRERS).execute(Tuple.tuple().addValue(eventIds).addValue(referralEvents))
          .compose(locked -> conn.preparedQuery(REWARD).execute(Tuple.tuple().addValue(eventIds).addValue(referralEvents)
              .addValue(registerPoints).addValue(firstOrderShare).addValue(validityMonths)))
          .map(referralEvents);
    });
  }

  /** The {@code referral.registered} events written for registrations that carry an invite code. */
  private static Future<Long[]> link(SqlClient conn, java.util.Collection<JsonObject> events, Long[] eventIds) {
    boolean invited = events.stream().anyMatch(e -> "member.registered".equals(e.getString("type"))
        && e.getJsonObject("properties") != null && e.getJsonObject("properties").getValue("invite_code") != null);
    if (!invited) {
      return Future.succeededFuture(new Long[0]);
    }
    return conn.preparedQuery(LINK).execute(Tuple.of(eventIds)).map(rows -> {
      Long[] referralEvents = new Long[rows.size()];
      int i = 0;
      for (var r : rows) {
        referralEvents[i++] = r.getLong("id");
      }
      return referralEvents;
    });
  }

  /** The contact's invite code, made on first request; a clash with another code just tries again. */
  public Future<JsonObject> inviteCode(long contactId) {
    return Rows.retryingRaces(() -> pool.preparedQuery(INVITE_CODE)
        .execute(Tuple.of(contactId, newCode())))
        .map(rows -> Rows.one(rows, "Contact " + contactId, RowJson::of));
  }

  private static String newCode() {
    char[] code = new char[8];
    for (int i = 0; i < code.length; i++) {
      code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(code);
  }
}
