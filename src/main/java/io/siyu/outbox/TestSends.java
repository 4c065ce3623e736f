package io.siyu.outbox;

import io.siyu.db.Rows;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A template's test send: one touch to one contact on the channel asked for, through the same
 * outbox, dispatcher, rendering and channel as a journey's touch. It is marked as a test (its key
 * starts with {@value #KEY_PREFIX}, its payload says {@code "test": true}), goes out as
 * transactional (no frequency cap counts it or holds it back, no quiet hours defer it) and belongs to
 * no journey (no funnel counts it). Refused before anything is written when the channel is not
 * configured, or the contact has no address on it or has opted out of it: the sending policy would
 * otherwise fall back to another channel, which is not what a test of this one asked for.
 */
public final class TestSends {
  public static final String KEY_PREFIX = "test:";
  private static final String RECIPIENT = "SELECT mobile, email, external_userid, owner_staff_id, timezone, consent "
      + "FROM contacts WHERE id = $1";
  /** What a contact's address on a channel is called, for the refusal. */
  private static final java.util.Map<String, String> ADDRESS = java.util.Map.of("sms", "mobile", "email", "email",
      "wecom", "external_userid");
  private static final String ID_BY_KEY = "SELECT id FROM touches WHERE touch_key = $1";

  private final Pool pool;
  private final Channels channels;
  private final Dispatcher dispatcher;

  public TestSends(Pool pool, Channels channels, Dispatcher dispatcher) {
    this.pool = pool;
    this.channels = channels;
    this.dispatcher = dispatcher;
  }

  /** A 404 problem for a contact that does not exist, a 422 for a channel that cannot reach it. */
  public Future<Void> check(long contactId, String channel) {
    if (!channels.configured().contains(channel)) {
      return Future.failedFuture(Problem.invalid("channel", "channel " + channel + " is not configured on this Siyu; "
          + "configured: " + new TreeSet<>(channels.configured())));
    }
    return pool.preparedQuery(RECIPIENT).execute(Tuple.of(contactId)).map(rows -> {
      Row r = Rows.first(rows, "Contact " + contactId);
      Recipient to = new Recipient(r.getString("mobile"), r.getString("email"), r.getString("external_userid"),
          r.getString("owner_staff_id"), r.getString("timezone"), r.getJsonObject("consent"));
      if (!to.reachable(channel)) {
        throw Problem.invalid("contact_id", "contact " + contactId + " has no address on " + channel
            + " (" + ADDRESS.getOrDefault(channel, channel) + ")");
      }
      if (Boolean.FALSE.equals(to.consent(channel))) {
        throw Problem.invalid("contact_id", "contact " + contactId + " has opted out of " + channel);
      }
      return null;
    });
  }

  /**
   * Writes the test touch of template {@code templateKey} and wakes the dispatcher; answers its id.
   * {@code idempotencyKey} (null: none) makes a retried request the same touch. {@code data} holds
   * what the renderer reads (locale, variables).
   */
  public Future<Long> enqueue(String templateKey, long contactId, String channel, JsonObject data, String idempotencyKey,
      String actor) {
    String touchKey = KEY_PREFIX + (idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey);
    JsonObject payload = data.copy().put("kind", "transactional").put("test", true).put("sent_by", actor);
    TouchRequest request = new TouchRequest(touchKey, contactId, null, null, null, channel, templateKey, payload.encode());
    return Outbox.enqueue(pool, request)
        .compose(created -> pool.preparedQuery(ID_BY_KEY).execute(Tuple.of(touchKey)))
        .map(rows -> {
          dispatcher.wake();
          return rows.iterator().next().getLong("id");
        });
  }
}
