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
 * A receipt only moves a touch forward (sending/sent → delivered → read; sending/sent → failed),
 * so a replayed receipt, or one older than what the touch already says, changes nothing. A receipt
 * may beat the dispatcher's own record of the send; it then stands, and the record finds the touch
 * no longer "sending" and leaves it.
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
      + "  AND t.status IN ('sending', 'sent', 'delivered', 'read', 'failed') "
      + "  AND " + String.format(RANK, "r.status") + " > " + String.format(RANK, "t.status") + " "
      + "  RETURNING t.id, r.status, r.detail), "
      + "history AS (INSERT INTO touch_history (touch_id, status, detail) "
      + "  SELECT id, status, 'receipt' || coalesce(': ' || detail, '') FROM done) "
      + "SELECT (SELECT count(*) FROM done) AS applied, "
      + "  (SELECT count(*) FROM r WHERE NOT EXISTS (SELECT 1 FROM touches t WHERE t.touch_key = r.touch_key "
      + "    AND t.channel = $5)) AS unknown";

  private final Pool pool;

  public Receipts(Pool pool) {
    this.pool = pool;
  }

  /** Answers how many receipts came, changed a touch, and named no touch sent on this channel. */
  public Future<JsonObject> apply(String channel, List<Receipt> receipts) {
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
