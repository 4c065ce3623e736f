package io.siyu.loyalty.rights;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields of a right a client sets, checked one by one (no field depends on another) and
 * handed back as column → value. Field names are the column names, and only names from
 * {@link #FIELDS} ever reach SQL text; every value is bound.
 */
final class RightFields {
  static final Pattern CODE = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
  static final List<String> FIELDS =
      List.of("code", "name", "type", "value", "validity_days", "tiers", "stock", "description");
  private static final Set<String> REQUIRED = Set.of("code", "name", "type", "validity_days");
  private static final Set<String> TYPES = Set.of("coupon", "gift", "service", "privilege");
  private static final BigDecimal MAX_VALUE = new BigDecimal("999999999999.99");
  private static final int MAX_TIERS = 50;

  private RightFields() {}

  /**
   * The columns {@code body} sets. Creating needs every required field; a PATCH may send any
   * subset but not {@code code}, which grants and journeys refer to.
   */
  static Map<String, Object> parse(JsonObject body, boolean creating) {
    JsonArray errors = new JsonArray();
    Map<String, Object> columns = new LinkedHashMap<>();
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        errors.add(Problem.fieldError(field, "is not a field of a right"));
      } else if (!creating && field.equals("code")) {
        errors.add(Problem.fieldError(field, "cannot be changed; create a new right instead"));
      } else {
        String message = check(field, body.getValue(field), columns);
        if (message != null) {
          errors.add(Problem.fieldError(field, message));
        }
      }
    }
    if (creating) {
      REQUIRED.stream().filter(f -> !body.containsKey(f)).sorted()
          .forEach(f -> errors.add(Problem.fieldError(f, "is required")));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return columns;
  }

  /** Puts the column's value into {@code columns}, or answers why it is wrong. */
  private static String check(String field, Object v, Map<String, Object> columns) {
    if (v == null) {
      if (REQUIRED.contains(field)) {
        return "is required";
      }
      columns.put(field, null); // an optional field sent as null is cleared (stock: unlimited)
      return null;
    }
    Object value = switch (field) {
      case "code" -> v instanceof String s && CODE.matcher(s).matches() ? s : null;
      case "name" -> v instanceof String s && !s.isBlank() && s.trim().length() <= 200 ? s.trim() : null;
      case "type" -> v instanceof String s && TYPES.contains(s) ? s : null;
      case "value" -> money(v);
      case "validity_days" -> wholeNumber(v, 1, 3650);
      case "tiers" -> tiers(v);
      case "stock" -> wholeNumber(v, 0, Integer.MAX_VALUE);
      case "description" -> v instanceof String s && s.length() <= 2000 ? s : null;
      default -> throw new IllegalArgumentException(field);
    };
    if (value == null) {
      return rule(field);
    }
    columns.put(field, value);
    return null;
  }

  private static String rule(String field) {
    return switch (field) {
      case "code" -> "must start with a lowercase letter and use a-z, 0-9, _ . - (at most 64)";
      case "name" -> "must be 1 to 200 characters";
      case "type" -> "must be one of coupon, gift, service, privilege";
      case "value" -> "must be a number of yuan from 0 to 999999999999.99 with at most 2 decimals";
      case "validity_days" -> "must be a whole number of days from 1 to 3650";
      case "tiers" -> "must be a list of 1 to " + MAX_TIERS + " tier names (1 to 100 characters), or null for every tier";
      case "stock" -> "must be a whole number from 0, or null for unlimited";
      default -> "must be a string of at most 2000 characters";
    };
  }

  private static BigDecimal money(Object v) {
    if (!(v instanceof Number n)) {
      return null;
    }
    BigDecimal amount = new BigDecimal(n.toString());
    return amount.signum() < 0 || amount.compareTo(MAX_VALUE) > 0 || amount.stripTrailingZeros().scale() > 2
        ? null : amount;
  }

  private static Integer wholeNumber(Object v, int min, int max) {
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= min && n.longValue() <= max) {
      return n.intValue();
    }
    return null;
  }

  /** Trimmed, without repeats; an empty list would mean "nobody", which is what retiring is for. */
  private static String[] tiers(Object v) {
    if (!(v instanceof JsonArray arr) || arr.isEmpty() || arr.size() > MAX_TIERS) {
      return null;
    }
    Set<String> tiers = new LinkedHashSet<>();
    for (Object t : arr) {
      if (!(t instanceof String s) || s.isBlank() || s.trim().length() > 100) {
        return null;
      }
      tiers.add(s.trim());
    }
    return tiers.toArray(String[]::new);
  }
}
