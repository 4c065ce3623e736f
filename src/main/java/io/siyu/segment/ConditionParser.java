package io.siyu.segment;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.attribute.AttributeType;
import io.siyu.contact.Like;
import io.siyu.event.EventInput;
import io.siyu.problem.Problem;
import io.siyu.segment.Condition.Op;
import io.siyu.segment.Condition.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the JSON filter language into a {@link Condition} tree, checking every node. A bad node
 * is a 422 whose {@code field} is its JSON path ({@code $.all[1].op}), so an operator's editor can
 * point at it. Node shapes:
 * <pre>
 *   {"all": [..]}  {"any": [..]}  {"not": {..}}
 *   {"field": "total_spent", "op": "gte", "value": 500}
 *   {"attribute": "level", "op": "between", "value": [3, 7]}
 *   {"has_tag": 12}  {"has_tag": {"group": "兴趣", "name": "咖啡"}}
 *   {"birthday": {"month": 2, "day": 29}}
 *   {"event": {"type": "purchase", "within_days": 30, "op": "gte", "count": 2}}
 *   {"consent": "sms"}
 * </pre>
 */
public final class ConditionParser {
  static final int MAX_DEPTH = 12;
  static final int MAX_NODES = 500;
  static final int MAX_LIST = 1000;
  static final int MAX_STRING = 1000;
  private static final Pattern CHANNEL = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
  private static final Set<String> COMPARE_KEYS = Set.of("op", "value");

  private final Map<String, AttributeDefinition> attributes;
  private int nodes;

  private ConditionParser(Map<String, AttributeDefinition> attributes) {
    this.attributes = attributes;
  }

  /** Parses and validates; throws a 422 {@link Problem} naming the path of the first bad node. */
  public static Condition parse(Object json, Map<String, AttributeDefinition> attributes) {
    return new ConditionParser(attributes).node(json, "$", 1);
  }

  private Condition node(Object json, String path, int depth) {
    if (!(json instanceof JsonObject o) || o.isEmpty()) {
      throw bad(path, "must be a condition object such as {\"all\": [...]} or {\"field\": ..., \"op\": ..., \"value\": ...}");
    }
    if (depth > MAX_DEPTH) {
      throw bad(path, "nests deeper than " + MAX_DEPTH + " levels");
    }
    if (++nodes > MAX_NODES) {
      throw bad(path, "the filter has more than " + MAX_NODES + " conditions");
    }
    if (o.containsKey("field") || o.containsKey("attribute")) {
      return compare(o, path);
    }
    if (o.size() != 1) {
      throw bad(path, "must have exactly one of all, any, not, field, attribute, has_tag, birthday, event, consent");
    }
    String kind = o.fieldNames().iterator().next();
    Object value = o.getValue(kind);
    String at = path + "." + kind;
    return switch (kind) {
      case "all", "any" -> group(kind.equals("all"), value, at, depth);
      case "not" -> new Condition.Not(node(value, at, depth + 1));
      case "has_tag" -> hasTag(value, at);
      case "birthday" -> birthday(value, at);
      case "event" -> event(value, at);
      case "consent" -> new Condition.Consent(matching(value, at, CHANNEL, "must be a channel name such as sms"));
      default -> throw bad(at, "is not a kind of condition");
    };
  }

  private Condition group(boolean all, Object value, String path, int depth) {
    if (!(value instanceof JsonArray list) || list.isEmpty() || list.size() > 100) {
      throw bad(path, "must be a list of 1 to 100 conditions");
    }
    List<Condition> children = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      children.add(node(list.getValue(i), path + "[" + i + "]", depth + 1));
    }
    return new Condition.Group(all, children);
  }

  // ---- comparisons --------------------------------------------------------------------------

  private Condition compare(JsonObject o, String path) {
    boolean isField = o.containsKey("field");
    String kind = isField ? "field" : "attribute";
    for (String key : o.fieldNames()) {
      if (!key.equals(kind) && !COMPARE_KEYS.contains(key)) {
        throw bad(path + "." + key, "is not part of a " + kind + " condition (use " + kind + ", op, value)");
      }
    }
    Condition.Operand operand;
    ValueType type;
    List<String> allowed = null;
    if (isField) {
      ContactColumn field = ContactColumn.named(o.getValue("field"));
      if (field == null) {
        throw bad(path + ".field", "must be one of " + ContactColumn.names());
      }
      operand = new Condition.Operand(field.column(), null);
      type = field.type();
      allowed = field.allowed();
    } else {
      AttributeDefinition def = o.getValue("attribute") instanceof String k ? attributes.get(k) : null;
      if (def == null) {
        throw bad(path + ".attribute", "must name a declared attribute");
      }
      operand = new Condition.Operand(null, def.key());
      type = typeOf(def.type());
      allowed = def.type() == AttributeType.ENUM ? def.enumValues() : null;
    }
    Op op = o.getValue("op") instanceof String s ? Op.fromWire(s) : null;
    if (op == null || !type.ops.contains(op)) {
      throw bad(path + ".op", "must be one of " + type.ops.stream().map(Op::wire).sorted().toList()
          + " for a " + type.name().toLowerCase(java.util.Locale.ROOT) + " value");
    }
    return new Condition.Compare(operand, type, op, values(o, op, type, allowed, path + ".value"));
  }

  private List<Object> values(JsonObject o, Op op, ValueType type, List<String> allowed, String path) {
    boolean hasValue = o.containsKey("value");
    if (op == Op.EXISTS || op == Op.NOT_EXISTS) {
      if (hasValue) {
        throw bad(path, "must be left out for " + op.wire());
      }
      return List.of();
    }
    if (!hasValue) {
      throw bad(path, "is required");
    }
    Object raw = o.getValue("value");
    return switch (op) {
      case BETWEEN -> list(raw, path, 2, 2, type, allowed);
      case IN, NOT_IN -> list(raw, path, 1, MAX_LIST, type, allowed);
      case CONTAINS -> List.of("%" + Like.escape(text(raw, path)) + "%");
      case STARTS_WITH -> List.of(Like.escape(text(raw, path)) + "%");
      default -> List.of(value(raw, path, type, allowed));
    };
  }

  private List<Object> list(Object raw, String path, int min, int max, ValueType type, List<String> allowed) {
    if (!(raw instanceof JsonArray arr) || arr.size() < min || arr.size() > max) {
      throw bad(path, min == max ? "must be a list of exactly " + min + " values" : "must be a list of 1 to " + max + " values");
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      Object v = value(arr.getValue(i), path + "[" + i + "]", type, allowed);
      if (v instanceof Condition.DaysAgo) {
        throw bad(path + "[" + i + "]", "lists take absolute timestamps only");
      }
      values.add(v);
    }
    return values;
  }

  /** One value converted to what it binds as, or a 422 saying what the type needs. */
  private Object value(Object raw, String path, ValueType type, List<String> allowed) {
    return switch (type) {
      case TEXT -> text(raw, path);
      case ENUM -> {
        String s = text(raw, path);
        if (!allowed.contains(s)) {
          throw bad(path, "must be one of " + allowed);
        }
        yield s;
      }
      case INTEGER -> {
        BigDecimal n = number(raw, path);
        if (n.stripTrailingZeros().scale() > 0) {
          throw bad(path, "must be a whole number");
        }
        yield n;
      }
      case NUMBER -> number(raw, path);
      case BOOLEAN -> {
        if (!(raw instanceof Boolean b)) {
          throw bad(path, "must be true or false");
        }
        yield b;
      }
      case DATE -> {
        try {
          yield LocalDate.parse(text(raw, path));
        } catch (DateTimeParseException e) {
          throw bad(path, "must be a date like 2026-02-28");
        }
      }
      case TIMESTAMP -> timestamp(raw, path);
    };
  }

  private Object timestamp(Object raw, String path) {
    if (raw instanceof JsonObject rel) {
      Object days = rel.getValue("days_ago");
      if (rel.size() != 1 || !(days instanceof Integer || days instanceof Long)
          || ((Number) days).longValue() < 0 || ((Number) days).longValue() > 36_500) {
        throw bad(path, "a relative time is {\"days_ago\": N} with N from 0 to 36500");
      }
      return new Condition.DaysAgo(((Number) days).intValue());
    }
    try {
      return OffsetDateTime.parse(text(raw, path));
    } catch (DateTimeParseException e) {
      throw bad(path, "must be a timestamp like 2026-11-01T00:00:00Z or {\"days_ago\": N}");
    }
  }

  private static ValueType typeOf(AttributeType t) {
    return switch (t) {
      case STRING -> ValueType.TEXT;
      case ENUM -> ValueType.ENUM;
      case INTEGER -> ValueType.INTEGER;
      case NUMBER -> ValueType.NUMBER;
      case BOOLEAN -> ValueType.BOOLEAN;
      case DATE -> ValueType.DATE;
    };
  }

  // ---- the other leaves ---------------------------------------------------------------------

  private Condition hasTag(Object value, String path) {
    if (value instanceof Number) {
      return new Condition.HasTagId(positive(value, path));
    }
    if (value instanceof JsonObject o) {
      only(o, path, Set.of("group", "name"));
      return new Condition.HasTagName(text(o.getValue("group"), path + ".group"), text(o.getValue("name"), path + ".name"));
    }
    throw bad(path, "must be a tag id or {\"group\": ..., \"name\": ...}");
  }

  private Condition birthday(Object value, String path) {
    if (!(value instanceof JsonObject o)) {
      throw bad(path, "must be {\"month\": 1-12} or {\"month\": 2, \"day\": 29}");
    }
    only(o, path, Set.of("month", "day"));
    int month = (int) range(o.getValue("month"), path + ".month", 1, 12);
    Integer day = null;
    if (o.containsKey("day")) {
      day = (int) range(o.getValue("day"), path + ".day", 1, 31);
      try {
        MonthDay.of(month, day); // knows 30 April and 30 February do not exist, and 29 February does
      } catch (java.time.DateTimeException e) {
        throw bad(path + ".day", "is not a day of month " + month);
      }
    }
    return new Condition.Birthday(month, day);
  }

  private Condition event(Object value, String path) {
    if (!(value instanceof JsonObject o)) {
      throw bad(path, "must be {\"type\": ..., \"within_days\": ..., \"op\": ..., \"count\": ...}");
    }
    only(o, path, Set.of("type", "within_days", "op", "count"));
    String type = matching(o.getValue("type"), path + ".type", EventInput.TYPE, "must be an event type such as purchase");
    Integer within = o.containsKey("within_days") ? (int) range(o.getValue("within_days"), path + ".within_days", 1, 36_500) : null;
    Op op = Op.GTE;
    if (o.containsKey("op")) {
      op = o.getValue("op") instanceof String s ? Op.fromWire(s) : null;
      if (op == null || op.symbol == null || op == Op.NE) {
        throw bad(path + ".op", "must be one of eq, gt, gte, lt, lte");
      }
    }
    long count = o.containsKey("count") ? range(o.getValue("count"), path + ".count", 0, 1_000_000) : 1;
    return new Condition.EventCount(type, within, op, count);
  }

  // ---- small checks -------------------------------------------------------------------------

  private static void only(JsonObject o, String path, Set<String> keys) {
    for (String k : o.fieldNames()) {
      if (!keys.contains(k)) {
        throw bad(path + "." + k, "is not one of " + keys.stream().sorted().toList());
      }
    }
  }

  private static String text(Object raw, String path) {
    if (!(raw instanceof String s)) {
      throw bad(path, "must be a string");
    }
    if (s.length() > MAX_STRING) {
      throw bad(path, "must be at most " + MAX_STRING + " characters");
    }
    return s;
  }

  private static String matching(Object raw, String path, Pattern pattern, String message) {
    String s = text(raw, path);
    if (!pattern.matcher(s).matches()) {
      throw bad(path, message);
    }
    return s;
  }

  private static BigDecimal number(Object raw, String path) {
    if (!(raw instanceof Number n)) {
      throw bad(path, "must be a number");
    }
    return new BigDecimal(n.toString());
  }

  private static long positive(Object raw, String path) {
    return range(raw, path, 1, Long.MAX_VALUE);
  }

  private static long range(Object raw, String path, long min, long max) {
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < min
        || ((Number) raw).longValue() > max) {
      throw bad(path, "must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
    }
    return ((Number) raw).longValue();
  }

  private static Problem bad(String path, String message) {
    return Problem.invalid(path, message);
  }
}
