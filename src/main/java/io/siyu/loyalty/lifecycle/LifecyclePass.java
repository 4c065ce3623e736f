package io.siyu.loyalty.lifecycle;

import io.siyu.db.SqlParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/**
 * The daily lifecycle pass. Event ingestion restages a contact whenever its aggregates change, so
 * between two runs a stage can only go stale by time passing or by a write the rules did not
 * follow (a stage set by hand, an import). A day's run therefore evaluates only the contacts whose
 * clock crossed the dormant or churned line since the last run, and those written since then; it
 * remembers when it ran and with which thresholds in {@code recompute_marks}. The first run, and
 * the first one after the thresholds changed, evaluate every contact.
 */
final class LifecyclePass {
  private static final String LOCK_MARK = "SELECT * FROM recompute_marks WHERE part = 'lifecycle' FOR UPDATE";
  /** See {@link #watermark}. */
  private static final String WATERMARK = "SELECT now() AS clock, least(statement_timestamp(), "
      + "(SELECT min(xact_start) FROM pg_stat_activity "
      + "WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid())) "
      + "- interval '1 second' AS since";
  private static final String SAVE_MARK = "UPDATE recompute_marks SET clock = $1, since = $2, thresholds = $3 "
      + "WHERE part = 'lifecycle'";

  private LifecyclePass() {}

  /** In a transaction: answers how many stages changed and whether the pass was full or a delta. */
  static Future<JsonObject> run(SqlConnection conn, LifecycleRules rules) {
    return conn.query(LOCK_MARK).execute()
        .map(rows -> rows.iterator().next())
        .compose(last -> watermark(conn).compose(now -> {
          boolean full = last.getOffsetDateTime("clock") == null
              || !Arrays.equals(last.getArrayOfLongs("thresholds"), rules.thresholds())
              || last.getOffsetDateTime("clock").isAfter(now.getOffsetDateTime("clock"));
          SqlParams p = new SqlParams();
          String scope = full ? "true"
              : writtenSince(last, p) + " OR " + rules.crossedSince(last.getOffsetDateTime("clock"), p);
          return rules.recompute(conn, scope, p)
              .compose(changed -> save(conn, now, rules).map(new JsonObject()
                  .put("changed", changed).put("pass", full ? "full" : "delta")));
        }));
  }

  /**
   * {@code clock} is this transaction's now(): what the rules are evaluated at and the updated_at
   * of everything this pass writes. {@code since} is the earliest updated_at that a write the
   * pass's statement does not see can carry: a transaction still open now may commit after that
   * statement's snapshot, and it stamps its writes with its own start. So: the start of the oldest
   * other transaction open now, or now. Siyu's sessions share one role, so pg_stat_activity shows
   * them all; the second of slack covers a transaction that has taken its start time but not yet
   * published it. This is the transaction's first read of pg_stat_activity, which PostgreSQL
   * snapshots once per transaction.
   */
  private static Future<Row> watermark(SqlConnection conn) {
    return conn.query(WATERMARK)
        .execute().map(rows -> rows.iterator().next());
  }

  /**
   * Contacts written since the last run: updated_at from its {@code since} on, except the run's own
   * writes, which all carry its {@code clock} and were right when written. Two ranges, so the
   * index on updated_at skips those instead of reading them (after a full pass, nearly everyone).
   */
  private static String writtenSince(Row last, SqlParams p) {
    String since = p.add(last.getOffsetDateTime("since")) + "::timestamptz";
    String clock = p.add(last.getOffsetDateTime("clock")) + "::timestamptz";
    return "(c.updated_at >= " + since + " AND c.updated_at < " + clock + ")"
        + " OR (c.updated_at > " + clock + " AND c.updated_at >= " + since + ")";
  }

  private static Future<Void> save(SqlConnection conn, Row now, LifecycleRules rules) {
    return conn.preparedQuery(SAVE_MARK)
        .execute(Tuple.tuple().addValue(now.getOffsetDateTime("clock")).addValue(now.getOffsetDateTime("since"))
            .addValue(rules.thresholds()))
        .mapEmpty();
  }
}
