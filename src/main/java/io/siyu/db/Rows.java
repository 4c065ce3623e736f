package io.siyu.db;

import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.function.Function;

/** The small things every service does with query results, done one way. */
public final class Rows {
  private Rows() {}

  /** Every row through {@code toJson}. */
  public static JsonArray array(RowSet<Row> rows, Function<Row, JsonObject> toJson) {
    JsonArray a = new JsonArray();
    rows.forEach(r -> a.add(toJson.apply(r)));
    return a;
  }

  /** The first row through {@code toJson}, or a 404 naming {@code what} (e.g. "Segment 7"). */
  public static JsonObject one(RowSet<Row> rows, String what, Function<Row, JsonObject> toJson) {
    return toJson.apply(first(rows, what));
  }

  /** The first row, or a 404 naming {@code what}. */
  public static Row first(RowSet<Row> rows, String what) {
    if (rows.size() == 0) {
      throw Problem.notFound(what);
    }
    return rows.iterator().next();
  }

  /** For {@code DELETE … RETURNING}: nothing returned means nothing was there. */
  public static Void deleted(RowSet<Row> rows, String what) {
    first(rows, what);
    return null;
  }

  /**
   * Runs {@code attempt} again (up to five times in all) when it lost a race: a unique index
   * another transaction filled first, a deadlock, or a serialization failure. Each attempt must be
   * a whole transaction, so a retry starts from a clean state and sees the winner's rows.
   */
  public static <T> Future<T> retryingRaces(java.util.function.Supplier<Future<T>> attempt) {
    return retrying(attempt, 5);
  }

  private static <T> Future<T> retrying(java.util.function.Supplier<Future<T>> attempt, int left) {
    return attempt.get().recover(err -> isRace(err) && left > 1
        ? retrying(attempt, left - 1) : Future.failedFuture(err));
  }

  private static boolean isRace(Throwable err) {
    return err instanceof PgException pg && java.util.Set.of("23505", "40P01", "40001").contains(pg.getSqlState());
  }

  public static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** A {@code recover} step turning a unique-index violation into a 409 with {@code detail}. */
  public static <T> Function<Throwable, Future<T>> conflictOnDuplicate(String detail) {
    return err -> Future.failedFuture(isUniqueViolation(err) ? Problem.conflict(detail, null) : err);
  }

  /** Timestamps go out as ISO-8601 instants in UTC. */
  public static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
