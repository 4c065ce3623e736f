package io.siyu.attribute;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Custom attribute declarations ({@code /api/v1/attributes}). */
public final class AttributeService {
  public static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");
  /** A declaration as the API shows it, in the order of its JSON. */
  private static final String COLUMNS = "key, type, enum_values, description, created_at, updated_at";
  private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM attribute_definitions ORDER BY key";
  private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM attribute_definitions WHERE key = $1";
  private static final String INSERT = "INSERT INTO attribute_definitions (key, type, enum_values, description) "
      + "VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE attribute_definitions SET enum_values = $2, description = $3, "
      + "updated_at = now() WHERE key = $1 RETURNING " + COLUMNS;
  private static final String IS_SET_ON_A_CONTACT = "SELECT EXISTS (SELECT 1 FROM contacts WHERE attributes ? $1) AS used";
  private static final String DELETE = "DELETE FROM attribute_definitions WHERE key = $1 RETURNING key";

  /**
   * Every request that validates contact data or a filter needs the declarations; they change
   * rarely, so they are kept for a moment. A change on this instance drops the copy at once; other
   * instances see it within {@link #CATALOG_MILLIS}.
   */
  private static final long CATALOG_MILLIS = 2_000;

  private final Pool pool;
  private volatile Cached cached;

  private record Cached(Map<String, AttributeDefinition> catalog, long until) {}

  public AttributeService(Pool pool) {
    this.pool = pool;
  }

  /** Every declaration by key. */
  public Future<Map<String, AttributeDefinition>> catalog() {
    Cached c = cached;
    if (c != null && c.until > System.currentTimeMillis()) {
      return Future.succeededFuture(c.catalog);
    }
    return pool.query(SELECT_ALL).execute()
        .map(rows -> {
          Map<String, AttributeDefinition> map = new LinkedHashMap<>();
          rows.forEach(r -> map.put(r.getString("key"), definition(r)));
          Map<String, AttributeDefinition> catalog = java.util.Collections.unmodifiableMap(map);
          cached = new Cached(catalog, System.currentTimeMillis() + CATALOG_MILLIS);
          return catalog;
        });
  }

  private <T> Future<T> invalidating(Future<T> change) {
    return change.andThen(ar -> cached = null);
  }

  public Future<JsonArray> list() {
    return pool.query(SELECT_ALL).execute()
        .map(rows -> Rows.array(rows, RowJson::of));
  }

  public Future<JsonObject> get(String key) {
    return pool.preparedQuery(SELECT_ONE)
        .execute(Tuple.of(key))
        .map(rows -> Rows.one(rows, "Attribute " + key, RowJson::of));
  }

  public Future<JsonObject> create(JsonObject body) {
    String key = body.getValue("key") instanceof String s ? s : null;
    if (key == null || !KEY.matcher(key).matches()) {
      throw Problem.invalid("key", "must start with a lowercase letter and use a-z, 0-9 and _ (at most 63)");
    }
    AttributeType type = body.getValue("type") instanceof String s ? AttributeType.fromWire(s) : null;
    if (type == null) {
      throw Problem.invalid("type", "must be one of string, number, integer, boolean, date, enum");
    }
    String[] enumValues = enumValues(body, type);
    String description = description(body);
    return invalidating(pool.preparedQuery(INSERT)
        .execute(Tuple.of(key, type.wire(), enumValues, description)))
        .map(rows -> RowJson.of(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("Attribute " + key + " is already declared"));
  }

  /** Only the description and the enum values may change: a type change would orphan stored values. */
  public Future<JsonObject> update(String key, JsonObject body) {
    if (body.containsKey("type") || body.containsKey("key")) {
      throw Problem.invalid(body.containsKey("type") ? "type" : "key",
          "cannot be changed; declare a new attribute instead");
    }
    return catalog().compose(all -> {
      AttributeDefinition def = all.get(key);
      if (def == null) {
        return Future.failedFuture(Problem.notFound("Attribute " + key));
      }
      String[] enumValues = body.containsKey("enum_values")
          ? enumValues(body, def.type())
          : def.enumValues() == null ? null : def.enumValues().toArray(String[]::new);
      String description = body.containsKey("description") ? description(body) : def.description();
      return invalidating(pool.preparedQuery(UPDATE)
          .execute(Tuple.of(key, enumValues, description)))
          .map(rows -> Rows.one(rows, "Attribute " + key, RowJson::of));
    });
  }

  /** Refuses to drop a declaration that contacts still use. */
  public Future<Void> delete(String key) {
    return pool.preparedQuery(IS_SET_ON_A_CONTACT)
        .execute(Tuple.of(key))
        .compose(rows -> {
          if (rows.iterator().next().getBoolean("used")) {
            return Future.failedFuture(Problem.conflict(
                "Attribute " + key + " is still set on contacts; clear it from them first", null));
          }
          return invalidating(pool.preparedQuery(DELETE)
              .execute(Tuple.of(key)))
              .map(r -> Rows.deleted(r, "Attribute " + key));
        });
  }

  private static String[] enumValues(JsonObject body, AttributeType type) {
    Object raw = body.getValue("enum_values");
    if (type != AttributeType.ENUM) {
      if (raw != null) {
        throw Problem.invalid("enum_values", "only applies to enum attributes");
      }
      return null;
    }
    if (!(raw instanceof JsonArray arr) || arr.isEmpty() || arr.size() > 500) {
      throw Problem.invalid("enum_values", "must be a list of 1 to 500 strings");
    }
    String[] values = new String[arr.size()];
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof String s) || s.isEmpty() || s.length() > 200) {
        throw Problem.invalid("enum_values[" + i + "]", "must be a string of 1 to 200 characters");
      }
      values[i] = s;
    }
    if (Arrays.stream(values).distinct().count() != values.length) {
      throw Problem.invalid("enum_values", "must not repeat a value");
    }
    return values;
  }

  private static String description(JsonObject body) {
    Object d = body.getValue("description");
    if (d != null && (!(d instanceof String s) || s.length() > 1000)) {
      throw Problem.invalid("description", "must be a string of at most 1000 characters");
    }
    return (String) d;
  }

  static AttributeDefinition definition(Row r) {
    String[] ev = r.getArrayOfStrings("enum_values");
    return new AttributeDefinition(r.getString("key"), AttributeType.fromWire(r.getString("type")),
        ev == null ? List.of() : List.of(ev), r.getString("description"));
  }
}
