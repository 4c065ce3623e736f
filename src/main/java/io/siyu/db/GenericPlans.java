package io.siyu.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Generic plans for the rest of one transaction on the shared pool, for hot paths whose statements
 * are keyed lookups and writes (an event's ingestion with its loyalty steps). Left to choose,
 * PostgreSQL planned those statements afresh at most calls (a plan for known values kept looking a
 * little cheaper than the generic one): in the welcome benchmark the event ingestion's statements
 * were planned 3,288 times in 4,000 calls and the lifecycle step 1,758 times, about a third of a
 * millisecond of planning an event. The shared pool itself stays on PostgreSQL's default, because
 * segment queries do gain from plans made for their values.
 */
public final class GenericPlans {
  private static final String FOR_THIS_TRANSACTION = "SET LOCAL plan_cache_mode = force_generic_plan";

  private GenericPlans() {}

  /** Switches {@code tx}'s transaction to generic plans; it ends with the transaction. */
  public static Future<Void> forThisTransaction(SqlConnection tx) {
    return tx.query(FOR_THIS_TRANSACTION).execute().mapEmpty();
  }
}
