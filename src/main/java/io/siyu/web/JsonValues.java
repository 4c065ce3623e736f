package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Values in parsed JSON bodies: what Siyu refuses in any of them, and ids read the same way everywhere. */
public final class JsonValues {
  /** Beyond 2^53 a double no longer holds every whole number: such an id may not be the one sent. */
  private static final double MAX_EXACT_DOUBLE = 9_007_199_254_740_992d;

  private JsonValues() {}

  /**
   * The first value in {@code v} that Siyu would not store as sent, as a field error at its JSON
   * path ({@code contact.name}, {@code events[2].amount}; {@code body} for the whole), or null.
   * Strings and keys: see {@link Text#unstorable}. Numbers: a literal beyond a double's range
   * ({@code 1e309}) parses as Infinity, which no column holds, and an integer beyond 64 bits fits
   * no id or count.
   */
  public static JsonObject firstUnfit(Object v) {
    return firstUnfit(v, "");
  }

  private static JsonObject firstUnfit(Object v, String path) {
    if (v instanceof JsonObject o) {
      return inMap(o.getMap(), path);
    }
    if (v instanceof Map<?, ?> m) {
      return inMap(m, path);
    }
    if (v instanceof JsonArray a) {
      return inList(a.getList(), path);
    }
    if (v instanceof List<?> l) {
      return inList(l, path);
    }
    String why = v instanceof String s ? Text.unstorable(s) : whyUnfit(v);
    return why == null ? null : Problem.fieldError(field(path), why);
  }

  private static String whyUnfit(Object number) {
    if (number instanceof Double d && d.isInfinite() || number instanceof Float f && f.isInfinite()) {
      return "is a number out of range";
    }
    return number instanceof BigInteger ? "is a whole number out of range (more than 64 bits)" : null;
  }

  private static JsonObject inMap(Map<?, ?> m, String path) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      String why = Text.unstorable(key);
      if (why != null) {
        return Problem.fieldError(field(path), "has a key that " + why);
      }
      JsonObject inner = firstUnfit(e.getValue(), path.isEmpty() ? key : path + "." + key);
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }

  private static JsonObject inList(List<?> l, String path) {
    for (int i = 0; i < l.size(); i++) {
      JsonObject inner = firstUnfit(l.get(i), path + "[" + i + "]");
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }

  private static String field(String path) {
    return path.isEmpty() ? "body" : path;
  }

  /**
   * A positive whole number taken as an id, or null when it is none: {@code 1.5} is no id (it used
   * to be read as 1), {@code 7.0} is 7.
   */
  public static Long positiveId(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long id = ((Number) v).longValue();
      return id > 0 ? id : null;
    }
    if (v instanceof Double d && d >= 1 && d <= MAX_EXACT_DOUBLE && d == Math.rint(d)) {
      return d.longValue();
    }
    return null;
  }

  /**
   * {@code value} as an id or key from outside of at most {@code max} characters (see
   * {@link Text#keyProblem}), or null after adding why not to {@code errors} under {@code field}.
   */
  public static String key(Object value, String field, int max, JsonArray errors) {
    String key = value instanceof String s ? s : null;
    String problem = Text.keyProblem(key, max);
    if (problem != null) {
      errors.add(Problem.fieldError(field, problem));
      return null;
    }
    return key;
  }
}
