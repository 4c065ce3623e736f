package io.siyu.segment;

import io.siyu.attribute.AttributeService;
import io.siyu.contact.ContactRows;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.db.Table;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * Saved segments and ad-hoc previews. A filter is parsed into a validated tree and compiled to a
 * parameterised condition over {@code contacts c} ({@link ConditionParser}); everything that selects
 * "contacts in a segment" — counts, previews, contact lists, bulk tagging — goes through
 * {@link #condition}.
 */
public final class SegmentService {
  public static final int DEFAULT_SAMPLE = 20;
  public static final int MAX_SAMPLE = 100;
  /** A segment as the API shows it, in the order of its JSON. */
  private static final String COLUMNS = "id, name, description, filter, created_at, updated_at";
  private static final String MISSING_TAGS = "SELECT array_agg(x) AS missing FROM unnest($1::bigint[]) x "
      + "WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = x)";
  private static final String FILTER_OF = "SELECT filter FROM segments WHERE id = $1";
  /** Followed by the compiled condition. */
  private static final String COUNT_WHERE = "SELECT count(*) AS n FROM contacts c WHERE ";
  /** Followed by the compiled condition, the order and the sample's size. */
  private static final String SAMPLE_WHERE = "SELECT " + ContactRows.COLUMNS + " FROM contacts c WHERE ";
  private static final String INSERT = "INSERT INTO segments (name, description, filter) VALUES ($1, $2, $3::jsonb) "
      + "RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE segments SET name = $2, description = $3, filter = $4::jsonb, "
      + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS;
  private static final String DELETE = "DELETE FROM segments WHERE id = $1 RETURNING id";

  private final Pool pool;
  private final AttributeService attributes;
  private final Table table;

  public SegmentService(Pool pool, AttributeService attributes) {
    this.pool = pool;
    this.attributes = attributes;
    this.table = new Table(pool, "segments", COLUMNS, "Segment", RowJson::of);
  }

  /** Validates a filter against today's attribute declarations and tags. */
  public Future<Condition> compile(Object filter) {
    if (filter == null) {
      return Future.failedFuture(Problem.invalid("filter", "is required"));
    }
    return attributes.catalog().compose(catalog -> {
      Condition node = ConditionParser.parse(filter, catalog);
      return checkTags(node.tagIds()).map(node);
    });
  }

  private Future<Void> checkTags(Set<Long> tagIds) {
    if (tagIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(MISSING_TAGS)
        .execute(Tuple.of(tagIds.toArray(Long[]::new)))
        .map(rows -> {
          Long[] missing = rows.iterator().next().getArrayOfLongs("missing");
          if (missing != null && missing.length > 0) {
            throw Problem.invalid("filter", "has_tag names tags that do not exist: " + java.util.Arrays.toString(missing));
          }
          return null;
        });
  }

  /** The SQL condition selecting the saved segment's contacts, bound into {@code params}. */
  public Future<String> condition(long segmentId, SqlParams params) {
    return pool.preparedQuery(FILTER_OF).execute(Tuple.of(segmentId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.invalid("segment", "segment " + segmentId + " does not exist"));
          }
          return attributes.catalog().map(catalog ->
              ConditionParser.parse(rows.iterator().next().getJsonObject("filter"), catalog).toSql(params));
        });
  }

  /** {@code {"filter": ..., "sample_size": 20}} → how many contacts match, and a few of them. */
  public Future<JsonObject> preview(JsonObject body) {
    int sample = sampleSize(body);
    return compile(body.getValue("filter")).compose(node -> count(node, sample));
  }

  private Future<JsonObject> count(Condition node, int sample) {
    SqlParams p = new SqlParams();
    String where = node.toSql(p);
    Future<Long> count = pool.preparedQuery(COUNT_WHERE + where)
        .execute(p.tuple()).map(rows -> rows.iterator().next().getLong("n"));
    Future<JsonArray> rows = sample == 0 ? Future.succeededFuture(new JsonArray())
        : pool.preparedQuery(SAMPLE_WHERE + where + " ORDER BY c.id LIMIT " + sample)
            .execute(p.tuple())
            .map(rs -> Rows.array(rs, RowJson::of));
    return Future.all(count, rows).map(v -> new JsonObject().put("count", count.result()).put("sample", rows.result()));
  }

  public Future<JsonObject> countSaved(long id) {
    return get(id).compose(seg -> compile(seg.getValue("filter")))
        .compose(node -> count(node, 0))
        .map(r -> new JsonObject().put("segment_id", id).put("count", r.getLong("count")));
  }

  public Future<JsonObject> create(JsonObject body) {
    String name = name(body);
    String description = description(body);
    Object filter = body.getValue("filter");
    return compile(filter)
        .compose(node -> pool.preparedQuery(INSERT)
            .execute(Tuple.of(name, description, filter)))
        .map(rows -> RowJson.of(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A segment named " + name + " already exists"));
  }

  public Future<JsonObject> get(long id) {
    return table.get(id);
  }

  /** Alphabetical unless asked otherwise; {@code -updated_at} shows the ones changed last. */
  static final Sorts SORTS = Sorts.of("name", Sorts.number("id", "id"), Sorts.text("name", "name"),
      Sorts.time("updated_at", "updated_at"));

  public Future<JsonObject> list(Page page) {
    return table.page(page);
  }

  public Future<JsonObject> update(long id, JsonObject body) {
    for (String k : body.fieldNames()) {
      if (!Set.of("name", "description", "filter").contains(k)) {
        throw Problem.invalid(k, "is not a segment field");
      }
    }
    return get(id).compose(current -> {
      String name = body.containsKey("name") ? name(body) : current.getString("name");
      String description = body.containsKey("description") ? description(body) : current.getString("description");
      Object filter = body.containsKey("filter") ? body.getValue("filter") : current.getValue("filter");
      return compile(filter)
          .compose(node -> pool.preparedQuery(UPDATE)
              .execute(Tuple.of(id, name, description, filter)))
          .map(rows -> RowJson.of(rows.iterator().next()))
          .recover(Rows.conflictOnDuplicate("A segment named " + name + " already exists"));
    });
  }

  public Future<Void> delete(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id))
        .map(rows -> Rows.deleted(rows, "Segment " + id));
  }

  private static int sampleSize(JsonObject body) {
    Object v = body.getValue("sample_size", DEFAULT_SAMPLE);
    if (v instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 0 && n.intValue() <= MAX_SAMPLE) {
      return n.intValue();
    }
    throw Problem.invalid("sample_size", "must be a whole number from 0 to " + MAX_SAMPLE);
  }

  private static String name(JsonObject body) {
    if (!(body.getValue("name") instanceof String s) || s.isBlank() || s.trim().length() > 200) {
      throw Problem.invalid("name", "is required, 1 to 200 characters");
    }
    return s.trim();
  }

  private static String description(JsonObject body) {
    Object d = body.getValue("description");
    if (d != null && (!(d instanceof String s) || s.length() > 2000)) {
      throw Problem.invalid("description", "must be a string of at most 2000 characters");
    }
    return (String) d;
  }
}
