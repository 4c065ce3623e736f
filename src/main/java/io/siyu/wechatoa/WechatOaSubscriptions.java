package io.siyu.wechatoa;

import io.siyu.event.EventService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Follows and unfollows of the Official Account, recorded as member events through the event
 * pipeline (which finds or creates the contact by openid, stores the event once however often
 * WeChat retries, and wakes journeys), then reflected in the contact's consent to the account.
 */
public final class WechatOaSubscriptions {
  static final String SUBSCRIBED = "wechat.subscribed";
  static final String UNSUBSCRIBED = "wechat.unsubscribed";
  /**
   * The key of {@code consent} for messages through the Official Account. Consent is keyed by
   * channel name; no channel sends through the account yet, and one that does should be named
   * this so the sending policy honours what followers chose.
   */
  static final String CONSENT_CHANNEL = "wechat_oa";
  static final String SOURCE = "wechat_oa";

  /** Changes to one contact's consent run in turn: see {@link #followConsent}. */
  private static final String LOCK = "SELECT id FROM contacts WHERE id = $1 FOR NO KEY UPDATE";

  /**
   * Consent follows the contact's latest follow or unfollow (by the time WeChat gave it, then by
   * arrival), whichever message this call carried: a retry of an old follow arriving after an
   * unfollow changes nothing, and a call that stored its event but died before this statement is
   * completed by WeChat's retry. Withdrawing consent also records {@code consent.revoked}, as an SMS
   * opt-out or an unsubscribe link does.
   */
  private static final String FOLLOW = "WITH latest AS (SELECT e.event_key, e.type, e.occurred_at FROM events e "
      + "  WHERE e.contact_id = $1 AND e.type IN ($3, $4) ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1), "
      + "changed AS (UPDATE contacts c SET consent = c.consent || jsonb_build_object($2::text, latest.type = $3), "
      + "    updated_at = now() "
      + "  FROM latest WHERE c.id = $1 AND (c.consent -> $2::text) IS DISTINCT FROM to_jsonb(latest.type = $3) "
      + "  RETURNING c.id, latest.event_key, latest.type, latest.occurred_at) "
      + "INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "SELECT 'consent.revoked:' || event_key, id, 'consent.revoked', occurred_at, "
      + "  jsonb_build_object('channel', $2::text, 'via', type), $5::text "
      + "FROM changed WHERE type = $4 ON CONFLICT (event_key) DO NOTHING";

  private final Pool pool;
  private final EventService events;

  public WechatOaSubscriptions(Pool pool, EventService events) {
    this.pool = pool;
    this.events = events;
  }

  /** Stores the follow or unfollow (once) and brings the contact's consent in line; done when both are. */
  Future<Void> record(WechatOaMessage m) {
    return events.ingest(List.of(event(m)), false)
        .compose(stored -> followConsent(stored.get(0).event().getLong("contact_id")));
  }

  /** The member event of a follow or unfollow, in the shape {@code POST /api/v1/events} takes. */
  static JsonObject event(WechatOaMessage m) {
    JsonObject properties = new JsonObject();
    if (m.account() != null) {
      properties.put("account", m.account());
    }
    String scene = m.scene();
    if (scene != null) {
      properties.put("scene", scene);
    }
    // a contact made here says where it came from: the account, and the QR code when there was one
    JsonObject contact = new JsonObject().put("openid", m.openid())
        .put("source", scene == null ? SOURCE : SOURCE + ":" + scene);
    return new JsonObject().put("id", m.eventId()).put("type", m.subscribes() ? SUBSCRIBED : UNSUBSCRIBED)
        .put("occurred_at", m.at().toString()).put("contact", contact).put("properties", properties)
        .put("source", SOURCE);
  }

  /**
   * Locks the contact first: two calls for one follower (a follow and an unfollow a moment apart)
   * then decide in turn, each seeing the other's event once it is committed.
   */
  private Future<Void> followConsent(long contactId) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(contactId))
        .compose(v -> conn.preparedQuery(FOLLOW)
            .execute(Tuple.of(contactId, CONSENT_CHANNEL, SUBSCRIBED, UNSUBSCRIBED, SOURCE))))
        .mapEmpty();
  }
}
