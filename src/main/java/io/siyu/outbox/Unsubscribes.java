package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * One-click unsubscribe for marketing messages: each gets a link naming its contact and channel
 * (the code comes from the touch, so a retried send carries the same link). Using it sets the
 * contact's {@code consent.<channel>} to false, which the sending policy honours from then on, and
 * records a {@code consent.revoked} event. Using it again changes nothing.
 */
public final class Unsubscribes {
  private static final String SAVE = "INSERT INTO unsubscribe_links (code, contact_id, channel) VALUES ($1, $2, $3) "
      + "ON CONFLICT (code) DO NOTHING";

  private static final String USE = "WITH link AS (UPDATE unsubscribe_links SET used_at = coalesce(used_at, now()) "
      + "  WHERE code = $1 RETURNING contact_id, channel), "
      + "changed AS (UPDATE contacts c SET consent = c.consent || jsonb_build_object(link.channel, false), updated_at = now() "
      + "  FROM link WHERE c.id = link.contact_id AND (c.consent -> link.channel) IS DISTINCT FROM 'false'::jsonb "
      + "  RETURNING c.id, link.channel), "
      + "logged AS (INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "  SELECT 'consent.revoked:' || channel || ':' || id || ':' || $1, id, 'consent.revoked', now(), "
      + "  jsonb_build_object('channel', channel, 'via', 'unsubscribe link'), 'siyu' FROM changed "
      + "  ON CONFLICT (event_key) DO NOTHING) "
      + "SELECT channel FROM link";

  private final Pool pool;
  private final String publicUrl;

  public Unsubscribes(Pool pool, String publicUrl) {
    this.pool = pool;
    this.publicUrl = publicUrl;
  }

  /** The touch's unsubscribe link for its channel, saved so it works. */
  public Future<String> link(Touch touch) {
    String code = TrackedLinks.code(touch.touchKey(), "unsubscribe:" + touch.channel());
    return pool.preparedQuery(SAVE).execute(Tuple.of(code, touch.contactId(), touch.channel()))
        .map(v -> publicUrl + "/webhooks/unsubscribe/" + code);
  }

  /** Unsubscribes the link's contact from its channel; answers the channel, or null for an unknown code. */
  public Future<String> use(String code) {
    return pool.preparedQuery(USE).execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("channel"));
  }
}
