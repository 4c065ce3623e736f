package io.siyu.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * A result row as the API writes it: every column under its name, in the order the statement
 * selects them, nulls kept. So a feature's JSON is its SELECT list (rename with {@code AS}, order
 * by listing); a field that needs shaping is put on the result next to the call.
 *
 * <p>Values are written the way every hand-written mapper wrote them: {@code timestamptz} as an
 * ISO-8601 instant in UTC ({@link Rows#instant}), {@code date} and {@code timestamp} as their ISO
 * text, {@code numeric} as a BigDecimal (12.50 stays 12.50), {@code smallint} as an Integer,
 * json and jsonb as parsed (a JSON {@code null} is null), arrays as JSON arrays. A column of a kind
 * not listed here (uuid, interval, bytea...) is refused rather than written some new way.
 */
public final class RowJson {
  private RowJson() {}

  public static JsonObject of(Row r) {
    return except(r, Set.of());
  }

  /**
   * Every column but {@code skipped}: for a statement that answers more than the thing it returns
   * (a verdict beside the row), where its text is tuned and stays as it is.
   */
  public static JsonObject except(Row r, String... skipped) {
    return except(r, Set.of(skipped));
  }

  private static JsonObject except(Row r, Set<String> skipped) {
    JsonObject j = new JsonObject();
    for (int i = 0; i < r.size(); i++) {
      String column = r.getColumnName(i);
      if (!skipped.contains(column)) {
        j.put(column, value(column, r.getValue(i)));
      }
    }
    return j;
  }

  private static Object value(String column, Object v) {
    if (v == null || v == Tuple.JSON_NULL) {
      return null;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Double || v instanceof Float || v instanceof BigDecimal || v instanceof BigInteger
        || v instanceof JsonObject || v instanceof JsonArray) {
      return v;
    }
    if (v instanceof OffsetDateTime t) {
      return Rows.instant(t);
    }
    if (v instanceof LocalDate || v instanceof LocalDateTime) {
      return v.toString();
    }
    if (v instanceof Numeric n) {
      return n.bigDecimalValue();
    }
    if (v instanceof Short s) {
      return s.intValue();
    }
    if (v instanceof Object[] items) {
      JsonArray a = new JsonArray();
      for (Object item : items) {
        a.add(value(column, item));
      }
      return a;
    }
    throw new IllegalArgumentException("Column " + column + " is a " + v.getClass().getSimpleName()
        + ", which RowJson does not write; map it by hand");
  }
}
