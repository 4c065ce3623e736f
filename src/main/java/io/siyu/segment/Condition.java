package io.siyu.segment;

import io.siyu.db.SqlParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated segment filter: a tree of conditions over one contact, which compiles to a SQL
 * boolean expression over {@code contacts c}. Every value is bound through {@link SqlParams};
 * the only SQL text in a node comes from this package (whitelisted columns, fixed operators).
 * Built by {@link ConditionParser}.
 */
public sealed interface Condition {

  String toSql(SqlParams params);

  /** Tag ids named by {@code {"has_tag": id}} anywhere in the tree, for the caller to check. */
  default Set<Long> tagIds() {
    Set<Long> ids = new HashSet<>();
    collectTagIds(ids);
    return ids;
  }

  default void collectTagIds(Set<Long> into) {}

  /** {@code all} (AND) or {@code any} (OR) of the children. */
  record Group(boolean all, List<Condition> children) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      List<String> parts = children.stream().map(c -> c.toSql(params)).toList();
      return "(" + String.join(all ? " AND " : " OR ", parts) + ")";
    }

    @Override
    public void collectTagIds(Set<Long> into) {
      children.forEach(c -> c.collectTagIds(into));
    }
  }

  record Not(Condition child) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      // a condition that is NULL for a contact (missing value) counts as "not matched"
      return "(" + child.toSql(params) + ") IS NOT TRUE";
    }

    @Override
    public void collectTagIds(Set<Long> into) {
      child.collectTagIds(into);
    }
  }

  /** A comparison of a field or attribute with bound values. */
  record Compare(Operand operand, ValueType type, Op op, List<Object> values) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      String expr = operand.sql(params, type);
      return switch (op) {
        case EXISTS -> expr + " IS NOT NULL";
        case NOT_EXISTS -> expr + " IS NULL";
        case EQ -> expr + " = " + bind(params, 0);
        case NE -> expr + " IS DISTINCT FROM " + bind(params, 0);
        case LT -> expr + " < " + bind(params, 0);
        case LTE -> expr + " <= " + bind(params, 0);
        case GT -> expr + " > " + bind(params, 0);
        case GTE -> expr + " >= " + bind(params, 0);
        case BETWEEN -> expr + " BETWEEN " + bind(params, 0) + " AND " + bind(params, 1);
        case IN -> expr + " = ANY(" + array(params) + ")";
        case NOT_IN -> "(" + expr + " = ANY(" + array(params) + ")) IS NOT TRUE";
        case CONTAINS, STARTS_WITH -> expr + " ILIKE " + params.add(values.get(0)) + "::text";
      };
    }

    private String bind(SqlParams params, int i) {
      Object v = values.get(i);
      if (v instanceof DaysAgo d) {
        return "(now() - make_interval(days => " + params.add(d.days()) + "::int))";
      }
      return params.add(v) + "::" + type.sqlType();
    }

    /** Lists travel as text[] and are cast, which every value type supports the same way. */
    private String array(SqlParams params) {
      String[] texts = values.stream().map(String::valueOf).toArray(String[]::new);
      return params.add(texts) + "::text[]::" + type.sqlType() + "[]";
    }
  }

  /** The left side of a comparison: a whitelisted column, or a declared attribute's JSON value. */
  record Operand(String column, String attributeKey) {
    String sql(SqlParams params, ValueType type) {
      if (column != null) {
        return "c." + column;
      }
      String text = "(c.attributes ->> " + params.add(attributeKey) + "::text)";
      return type == ValueType.TEXT || type == ValueType.ENUM ? text : "(" + text + "::" + type.sqlType() + ")";
    }
  }

  /** A timestamp relative to now, {@code {"days_ago": n}}. */
  record DaysAgo(int days) {}

  record HasTagId(long tagId) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      return "EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = "
          + params.add(tagId) + "::bigint)";
    }

    @Override
    public void collectTagIds(Set<Long> into) {
      into.add(tagId);
    }
  }

  record HasTagName(String group, String name) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      return "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
          + "JOIN tag_groups g ON g.id = t.group_id WHERE ct.contact_id = c.id AND g.name = "
          + params.add(group) + "::text AND t.name = " + params.add(name) + "::text)";
    }
  }

  record Birthday(int month, Integer day) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      String sql = "c.birth_month = " + params.add(month) + "::int";
      return day == null ? "(" + sql + ")" : "(" + sql + " AND c.birth_day = " + params.add(day) + "::int)";
    }
  }

  /** How many events of a type the contact has (within the last N days), compared with a count. */
  record EventCount(String type, Integer withinDays, Op op, long count) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      String from = "FROM events e WHERE e.contact_id = c.id AND e.type = " + params.add(type) + "::text"
          + (withinDays == null ? "" : " AND e.occurred_at >= now() - make_interval(days => "
              + params.add(withinDays) + "::int)");
      // the common questions ("did at least once", "never did") are answered by EXISTS, which stops early
      if ((op == Op.GTE && count == 1) || (op == Op.GT && count == 0)) {
        return "EXISTS (SELECT 1 " + from + ")";
      }
      if ((op == Op.EQ && count == 0) || (op == Op.LT && count == 1) || (op == Op.LTE && count == 0)) {
        return "NOT EXISTS (SELECT 1 " + from + ")";
      }
      return "(SELECT count(*) " + from + ") " + op.symbol + " " + params.add(count) + "::bigint";
    }
  }

  record Consent(String channel) implements Condition {
    @Override
    public String toSql(SqlParams params) {
      return "(c.consent ->> " + params.add(channel) + "::text) = 'true'";
    }
  }

  /** The comparison operators of the filter language. */
  enum Op {
    EQ("="), NE("<>"), LT("<"), LTE("<="), GT(">"), GTE(">="), BETWEEN(null), IN(null), NOT_IN(null),
    CONTAINS(null), STARTS_WITH(null), EXISTS(null), NOT_EXISTS(null);

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    static Op fromWire(String s) {
      for (Op op : values()) {
        if (op.name().toLowerCase(java.util.Locale.ROOT).equals(s)) {
          return op;
        }
      }
      return null;
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The types values can have, with the operators each allows. */
  enum ValueType {
    TEXT("text", Set.of(Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.CONTAINS, Op.STARTS_WITH, Op.EXISTS, Op.NOT_EXISTS)),
    ENUM("text", Set.of(Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.EXISTS, Op.NOT_EXISTS)),
    INTEGER("numeric", ordered()),
    NUMBER("numeric", ordered()),
    DATE("date", ordered()),
    TIMESTAMP("timestamptz", ordered()),
    BOOLEAN("boolean", Set.of(Op.EQ, Op.NE, Op.EXISTS, Op.NOT_EXISTS));

    private final String sqlType;
    final Set<Op> ops;

    ValueType(String sqlType, Set<Op> ops) {
      this.sqlType = sqlType;
      this.ops = ops;
    }

    String sqlType() {
      return sqlType;
    }

    private static Set<Op> ordered() {
      return Set.of(Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN, Op.EXISTS, Op.NOT_EXISTS);
    }
  }
}
