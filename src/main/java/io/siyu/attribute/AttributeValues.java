package io.siyu.attribute;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks custom attribute values against their declarations. Shared by the contacts API and the
 * bulk import so that both accept exactly the same values.
 */
public final class AttributeValues {
  private AttributeValues() {}

  /**
   * Validates every entry of {@code attrs}. Returns null when all are fine, else the message of the
   * first problem prefixed with its key. A null value means "remove the attribute" and is allowed.
   */
  public static String firstProblem(JsonObject attrs, Map<String, AttributeDefinition> catalog) {
    return problems(attrs, catalog).entrySet().stream().findFirst().map(e -> e.getKey() + ": " + e.getValue())
        .orElse(null);
  }

  /** Every entry of {@code attrs} that is not a declared attribute or does not fit it: key → why. */
  public static Map<String, String> problems(JsonObject attrs, Map<String, AttributeDefinition> catalog) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : attrs) {
      AttributeDefinition def = catalog.get(e.getKey());
      String problem = def == null ? "is not a declared attribute"
          : e.getValue() == null ? null : problem(def, e.getValue());
      if (problem != null) {
        problems.put(e.getKey(), problem);
      }
    }
    return problems;
  }

  /** Null when {@code value} fits {@code def}, else why not. */
  public static String problem(AttributeDefinition def, Object value) {
    return switch (def.type()) {
      case STRING -> !(value instanceof String s) ? "must be a string"
          : s.length() > 2000 ? "is longer than 2000 characters"
          : s.indexOf('\u0000') >= 0 ? "must not contain a NUL character" : null;
      case NUMBER -> value instanceof Number ? null : "must be a number";
      case INTEGER -> isWhole(value) ? null : "must be a whole number";
      case BOOLEAN -> value instanceof Boolean ? null : "must be true or false";
      case DATE -> value instanceof String s && isDate(s) ? null : "must be a date like 2026-02-28";
      case ENUM -> value instanceof String s && def.enumValues().contains(s)
          ? null : "must be one of " + String.join(", ", def.enumValues());
    };
  }

  /**
   * Converts text (a CSV cell) into the JSON value the declaration calls for, or throws
   * IllegalArgumentException saying why it does not fit (the message names no column: the caller knows it).
   */
  public static Object fromText(AttributeDefinition def, String text) {
    Object value;
    try {
      value = switch (def.type()) {
        case NUMBER -> new java.math.BigDecimal(text.trim());
        case INTEGER -> Long.parseLong(text.trim());
        case BOOLEAN -> parseBoolean(text.trim());
        default -> text;
      };
    } catch (NumberFormatException e) {
      value = text;
    }
    String problem = problem(def, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
  }

  private static Object parseBoolean(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> Boolean.TRUE;
      case "false", "0", "no" -> Boolean.FALSE;
      default -> s;
    };
  }

  private static boolean isWhole(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return true;
    }
    if (v instanceof java.math.BigDecimal b) {
      return b.stripTrailingZeros().scale() <= 0;
    }
    return v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d);
  }

  private static boolean isDate(String s) {
    try {
      LocalDate.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
