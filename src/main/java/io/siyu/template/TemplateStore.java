package io.siyu.template;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code templates} and {@code template_versions} tables. A new version is written while the
 * template's row is locked, so two writers (two instances loading the same files at start, or two
 * API calls) number their versions one after the other, and content equal to the current version's
 * (by hash) writes nothing.
 */
final class TemplateStore {
  /** A template and a version as the API shows them, in the order of their JSON. */
  private static final String TEMPLATE_COLUMNS = "t.id, t.key, t.kind, t.description, "
      + "(SELECT max(v.version) FROM template_versions v WHERE v.template_id = t.id) AS current_version, "
      + "t.created_at, t.updated_at";
  private static final String VERSION_COLUMNS = "t.key, t.kind, v.version, v.source, v.created_by, v.created_at, "
      + "v.content_hash, v.variants";
  /** Followed by the page's conditions and order. */
  private static final String TEMPLATES_WHERE = "SELECT " + TEMPLATE_COLUMNS + " FROM templates t WHERE ";
  private static final String TEMPLATE = "SELECT " + TEMPLATE_COLUMNS + " FROM templates t WHERE t.key = $1";
  private static final String VERSIONS = "SELECT " + VERSION_COLUMNS + " FROM template_versions v "
      + "JOIN templates t ON t.id = v.template_id WHERE t.key = $1 ORDER BY v.version DESC";
  private static final String VERSION = "SELECT " + VERSION_COLUMNS + " FROM template_versions v "
      + "JOIN templates t ON t.id = v.template_id WHERE t.key = $1 AND v.version = $2";
  /** The current version with its id, which touches name. */
  private static final String CURRENT = "SELECT " + VERSION_COLUMNS + ", v.id FROM template_versions v "
      + "JOIN templates t ON t.id = v.template_id WHERE t.key = $1 ORDER BY v.version DESC LIMIT 1";

  private static final String NEW_TEMPLATE = "INSERT INTO templates (key, kind, description) VALUES ($1, $2, $3) ";
  private static final String INSERT_TEMPLATE = NEW_TEMPLATE + "RETURNING id";
  /** Files own their template's kind and description; the upsert also locks the row for the version. */
  private static final String UPSERT_TEMPLATE = NEW_TEMPLATE
      + "ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, description = EXCLUDED.description, "
      + "updated_at = CASE WHEN (templates.kind, templates.description) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.description) "
      + "THEN now() ELSE templates.updated_at END RETURNING id";
  private static final String LOCK_TEMPLATE = "SELECT id FROM templates WHERE key = $1 FOR UPDATE";
  /**
   * The next version, unless its content hash is the one it is compared with: from the API, the
   * current version; from the files, the version the files last made, so a folder nobody changed
   * does not undo a version added through the API at every start. Answers the version current
   * afterwards and whether this statement wrote it. The template's row is locked, so max(version)
   * is not raced.
   */
  private static final String ADD_VERSION = "WITH added AS ("
      + "  INSERT INTO template_versions (template_id, version, variants, content_hash, source, created_by) "
      + "  SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4, $5 FROM template_versions WHERE template_id = $1 "
      + "  HAVING (SELECT content_hash FROM template_versions WHERE template_id = $1 AND ($4 = 'api' OR source = $4) "
      + "    ORDER BY version DESC LIMIT 1) "
      + "    IS DISTINCT FROM $3 "
      + "  RETURNING version), "
      + "touched AS (UPDATE templates SET updated_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM added)) "
      + "SELECT version, true AS created FROM added "
      + "UNION ALL SELECT max(version), false FROM template_versions WHERE template_id = $1 "
      + "HAVING NOT EXISTS (SELECT 1 FROM added)";

  /** The version a write left current, and whether the write made it. */
  record Saved(int version, boolean created) {}

  private final Pool pool;

  TemplateStore(Pool pool) {
    this.pool = pool;
  }

  /** A new template with its first version; a 409 when the key is taken. */
  Future<Saved> create(TemplateInput.Draft draft, String actor) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_TEMPLATE)
            .execute(Tuple.of(draft.key(), draft.kind(), draft.description()))
            .compose(rows -> addVersion(conn, rows.iterator().next().getLong("id"), draft, "api", actor)))
        .recover(Rows.conflictOnDuplicate("A template with key " + draft.key() + " already exists"));
  }

  /** The next version of an existing template (a 404 when there is none); unchanged content adds nothing. */
  Future<Saved> addVersion(TemplateInput.Draft draft, String actor) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_TEMPLATE).execute(Tuple.of(draft.key()))
        .compose(rows -> addVersion(conn, Rows.first(rows, "Template " + draft.key()).getLong("id"), draft, "api", actor)));
  }

  /** A template read from files: made or updated, with a new version only when its variants changed. */
  Future<Saved> saveFromFiles(TemplateInput.Draft draft) {
    return pool.withTransaction(conn -> conn.preparedQuery(UPSERT_TEMPLATE)
        .execute(Tuple.of(draft.key(), draft.kind(), draft.description()))
        .compose(rows -> addVersion(conn, rows.iterator().next().getLong("id"), draft, "file", "file")));
  }

  private static Future<Saved> addVersion(SqlConnection conn, long templateId, TemplateInput.Draft draft, String source,
      String actor) {
    return conn.preparedQuery(ADD_VERSION)
        .execute(Tuple.of(templateId, draft.variantsJson(), draft.contentHash(), source, actor))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Saved(r.getInteger("version"), r.getBoolean("created"));
        });
  }

  /** By key unless asked otherwise; {@code -updated_at} shows the ones changed last. */
  static final Sorts SORTS = Sorts.of("key", Sorts.number("id", "t.id"), Sorts.text("key", "t.key"),
      Sorts.time("updated_at", "t.updated_at"));

  Future<JsonObject> list(Page page) {
    SqlParams p = new SqlParams();
    return pool.preparedQuery(TEMPLATES_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /** The template with its current version in full and every version's header, newest first. */
  Future<JsonObject> get(String key) {
    return pool.preparedQuery(TEMPLATE).execute(Tuple.of(key))
        .map(rows -> Rows.one(rows, "Template " + key, RowJson::of))
        .compose(t -> pool.preparedQuery(VERSIONS)
            .execute(Tuple.of(key))
            .map(rows -> {
              JsonArray versions = Rows.array(rows, RowJson::of);
              JsonObject current = versions.isEmpty() ? null : versions.getJsonObject(0).copy();
              versions.forEach(v -> ((JsonObject) v).remove("variants"));
              return t.put("current", current).put("versions", versions);
            }));
  }

  Future<JsonObject> version(String key, int version) {
    return pool.preparedQuery(VERSION)
        .execute(Tuple.of(key, version))
        .map(rows -> Rows.one(rows, "Version " + version + " of template " + key, RowJson::of));
  }

  /** The current version of {@code key} as stored (id, kind, version, variants); a 404 problem when there is none. */
  Future<JsonObject> current(String key) {
    return pool.preparedQuery(CURRENT)
        .execute(Tuple.of(key))
        .map(rows -> Rows.one(rows, "Template " + key, RowJson::of));
  }
}
