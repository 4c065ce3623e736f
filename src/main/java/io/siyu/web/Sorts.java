package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The orders one list can be read in: a whitelist of fields, each tied to the SQL it sorts by, and
 * the order a request gets when it names none. A request asks for one field, {@code sort=name}
 * (ascending) or {@code sort=-name} (descending); anything else is a 422 naming the allowed ones, so
 * nothing from the request ever reaches SQL text. Ties are broken by the list's unique field (its
 * id), in the same direction, which gives every row exactly one place and {@link Page} its keyset.
 * Only fields that are never null are listed: a null has no place in a row comparison.
 */
public final class Sorts {
  /** What a field holds, which decides how a cursor carries its value. */
  public enum Kind { NUMBER, TEXT, TIME }

  /**
   * One sortable field: {@code name} is both what {@code sort=} says and the member of a list item
   * that holds its value; {@code sql} is a constant expression of the list's query.
   */
  public record Field(String name, String sql, Kind kind) {}

  /** A field and a direction: what {@code sort=} asked for. */
  public record Order(Field field, boolean descending) {
    /** As a request writes it: {@code name} or {@code -name}. */
    public String wire() {
      return (descending ? "-" : "") + field.name();
    }
  }

  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Field unique;
  private final Order byDefault;

  private Sorts(String byDefault, Field unique, Field... others) {
    this.unique = unique;
    fields.put(unique.name(), unique);
    for (Field f : others) {
      fields.put(f.name(), f);
    }
    this.byDefault = order(byDefault);
    if (this.byDefault == null) {
      throw new IllegalArgumentException("default sort " + byDefault + " is not one of " + allowed());
    }
  }

  /**
   * A list sortable by {@code unique} (never null, never repeated: the tie-breaker) and {@code others},
   * read in {@code byDefault} order (a field name, with {@code -} for descending) unless a request
   * says otherwise.
   */
  public static Sorts of(String byDefault, Field unique, Field... others) {
    return new Sorts(byDefault, unique, others);
  }

  public static Field number(String name, String sql) {
    return new Field(name, sql, Kind.NUMBER);
  }

  public static Field text(String name, String sql) {
    return new Field(name, sql, Kind.TEXT);
  }

  public static Field time(String name, String sql) {
    return new Field(name, sql, Kind.TIME);
  }

  Field unique() {
    return unique;
  }

  Order byDefault() {
    return byDefault;
  }

  /** The order {@code sort=} names, or a 422 listing the orders this list has. */
  Order parse(List<String> raw) {
    if (raw.size() > 1) {
      throw invalid("takes one field");
    }
    Order order = order(raw.get(0));
    if (order == null) {
      throw invalid("must be one of " + String.join(", ", allowed()));
    }
    return order;
  }

  /** The order a cursor names, or null when it names none of this list's. */
  Order order(String wire) {
    boolean descending = wire.startsWith("-");
    Field f = fields.get(descending ? wire.substring(1) : wire);
    return f == null ? null : new Order(f, descending);
  }

  /** Every order this list can be read in, as {@code sort=} writes them. */
  List<String> allowed() {
    List<String> all = new ArrayList<>();
    fields.keySet().forEach(name -> {
      all.add(name);
      all.add("-" + name);
    });
    return all;
  }

  private Problem invalid(String message) {
    Problem p = Problem.invalid("sort", message);
    p.extensions().put("allowed", new JsonArray(allowed()));
    return p;
  }

  /**
   * A value of {@code kind} as a cursor carries it (the list item's JSON value), turned into what
   * is bound to the query; null when it is not one a list of ours could have issued.
   */
  static Object bindable(Kind kind, Object value) {
    return switch (kind) {
      case NUMBER -> value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
      case TEXT -> value instanceof String s && s.indexOf('\u0000') < 0 ? s : null;
      case TIME -> value instanceof String s ? time(s) : null;
    };
  }

  private static OffsetDateTime time(String s) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC);
      // PostgreSQL's timestamptz runs from 4713 BC to 294276 AD
      return t.getYear() > -4713 && t.getYear() < 294276 ? t : null;
    } catch (DateTimeException e) {
      return null;
    }
  }
}
