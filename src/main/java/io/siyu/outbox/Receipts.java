package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Applies provider receipts to touches, all of one call in one statement, with a history row each.
 * A receipt only moves a touch forward (queued/sent → delivered → read; queued/sent → failed),
 * so a replayed receipt, or one older than what the touch already says, changes nothing. A receipt
 * may beat the dispatcher's own record of the send (the touch still says 'queued' while it is
 * sent); it then stands, and the record finds the touch no longer queued and leaves it. A touch a
 * receipt moves leaves the queue: one waiting for a retry had in fact reached the member.
 */
public final class Receipts {
  private static final String RANK = "CASE %s WHEN 'delivered' THEN 1 WHEN 'failed' THEN 1 WHEN 'read' THEN 2 ELSE 0 END";

  private static final String APPLY = "WITH r AS (SELECT DISTINCT ON (touch_key, status) * FROM unnest($1::text[], "
      + "  $2::text[], $3::timestamptz[], $4::text[]) AS r (touch_key, status, at, detail)), "
      + "done AS (UPDATE touches t SET status = r.status, "
      + "  sent_at = coalesce(t.sent_at, now()), "
      + "  delivered_at = CASE WHEN r.status IN ('delivered', 'read') THEN coalesce(t.delivered_at, r.at, now()) "
      + "    ELSE t.delivered_at END, "
      + "  read_at = CASE WHEN r.status = 'read' THEN coalesce(r.at, now()) ELSE t.read_at END, "
      + "  last_error = CASE WHEN r.status = 'failed' THEN coalesce(r.detail, 'failed, says the provider') ELSE t.last_error END, "
      + "  updated_at = now() "
      + "  FROM r WHERE t.touch_key = r.touch_key AND t.channel = $5 "
      + "  AND t.status IN ('queued', 'sent', 'delivered', 'read', 'failed') "
      // a queued touch only once it has gone to the provider (sent now, or waiting for a retry)
      + "  AND (t.status <> 'queued' OR EXISTS (SELECT 1 FROM touch_queue q WHERE q.touch_id = t.id AND q.attempts > 0)) "
      + "  AND " + String.format(RANK, "r.status") + " > " + String.format(RANK, "t.status") + " "
      + "  RETURNING t.id, r.status, r.detail), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) "
      + "  SELECT id, status, 'receipt' || coalesce(': ' || detail, '') FROM done), "
      + "dequeued AS (DELETE FROM touch_queue q USING done WHERE q.touch_id = done.id) "
      + "SELECT (SELECT count(*) FROM done) AS applied, "
      + "  (SELECT count(*) FROM r WHERE NOT EXISTS (SELECT 1 FROM touches t WHERE t.touch_key = r.touch_key "
      + "    AND t.channel = $5)) AS unknown";

  private final Pool pool;

  public Receipts(Pool pool) {
    this.pool = pool;
  }

  /**
   * An opted-out address: every contact with it on this channel now says no ({@code consent.<channel>
   * = false}), and a {@code consent.revoked} event records it (once per contact, channel and call).
   */
  private static final String OPT_OUT = "WITH o AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[]) "
      + "  AS o (address, at, text)), "
      + "changed AS (UPDATE contacts c SET consent = c.consent || jsonb_build_object($4::text, false), updated_at = now() "
      + "  FROM o WHERE CASE $4 WHEN 'sms' THEN c.mobile WHEN 'email' THEN c.email ELSE c.external_userid END = o.address "
      + "  AND (c.consent -> $4) IS DISTINCT FROM 'false'::jsonb RETURNING c.id, o.at, o.text) "
      + "INSERT INTO events (event_key, contact_id, type, occurred_at, properties, source) "
      + "SELECT 'consent.revoked:' || $4 || ':' || id || ':' || extract(epoch FROM coalesce(at, now()))::bigint, id, "
      + "  'consent.revoked', coalesce(at, now()), jsonb_build_object('channel', $4::text, 'reply', text), 'provider' "
      + "FROM changed ON CONFLICT (event_key) DO NOTHING RETURNING contact_id";

  /** Applies a provider's call: its receipts, then its opt-outs; answers what each changed. */
  public Future<JsonObject> apply(String channel, ProviderCallback callback) {
    Future<JsonObject> receipts = callback.receipts().isEmpty()
        ? Future.succeededFuture(new JsonObject().put("received", 0).put("applied", 0L).put("unknown", 0L))
        : apply(channel, callback.receipts());
    return receipts.compose(result -> callback.optOuts().isEmpty() ? Future.succeededFuture(result)
        : optOut(channel, callback.optOuts()).map(n -> result.put("opted_out", n)));
  }

  private Future<Integer> optOut(String channel, List<ProviderCallback.OptOut> optOuts) {
    int n = optOuts.size();
    String[] addresses = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      addresses[i] = optOuts.get(i).address();
      at[i] = optOuts.get(i).at() == null ? null : optOuts.get(i).at().atOffset(ZoneOffset.UTC);
      texts[i] = optOuts.get(i).text();
    }
    return pool.preparedQuery(OPT_OUT).execute(Tuple.tuple().addValue(addresses).addValue(at).addValue(texts).addValue(channel))
        .map(rows -> rows.rowCount());
  }

  /** Answers how many receipts came, changed a touch, and named no touch sent on this channel. */
  Future<JsonObject> apply(String channel, List<Receipt> receipts) {
    int n = receipts.size();
    String[] keys = new String[n];
    String[] statuses = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      Receipt r = receipts.get(i);
      keys[i] = r.touchKey();
      statuses[i] = r.status();
      at[i] = r.at() == null ? null : r.at().atOffset(ZoneOffset.UTC);
      details[i] = r.detail();
    }
    return pool.preparedQuery(APPLY)
        .execute(Tuple.tuple().addValue(keys).addValue(statuses).addValue(at).addValue(details).addValue(channel))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("received", n).put("applied", r.getLong("applied")).put("unknown", r.getLong("unknown"));
        });
  }
}
