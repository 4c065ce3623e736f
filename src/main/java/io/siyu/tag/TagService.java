package io.siyu.tag;

import io.siyu.db.JdbcSql;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.segment.SegmentService;
import io.siyu.web.JsonValues;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tag groups, tags, and putting tags on contacts: one contact, a list of contacts, or a whole
 * segment. Each change is one SQL statement that also writes the history rows, so the history can
 * never disagree with the tags.
 */
public final class TagService {
  public static final int MAX_CONTACT_IDS = 10_000;
  private static final String TAG_COLUMNS = "t.id, t.group_id, g.name AS group_name, t.name, t.created_at";

  /** Adds the tag to the contacts the {@code %s} condition selects and records who did it. */
  private static final String ADD = "WITH target AS (SELECT c.id FROM contacts c WHERE %s), "
      + "added AS (INSERT INTO contact_tags (contact_id, tag_id, tagged_by) SELECT id, $1, $2 FROM target "
      + "  ON CONFLICT DO NOTHING RETURNING contact_id), "
      + "logged AS (INSERT INTO tag_changes (contact_id, tag_id, tag_name, action, actor) "
      + "  SELECT contact_id, $1, (SELECT name FROM tags WHERE id = $1), 'added', $2 FROM added) "
      + "SELECT (SELECT count(*) FROM target) AS matched, (SELECT count(*) FROM added) AS changed";

  private static final String REMOVE = "WITH target AS (SELECT c.id FROM contacts c WHERE %s), "
      + "removed AS (DELETE FROM contact_tags ct USING target WHERE ct.contact_id = target.id AND ct.tag_id = $1 "
      + "  RETURNING ct.contact_id), "
      + "logged AS (INSERT INTO tag_changes (contact_id, tag_id, tag_name, action, actor) "
      + "  SELECT contact_id, $1, (SELECT name FROM tags WHERE id = $1), 'removed', $2 FROM removed) "
      + "SELECT (SELECT count(*) FROM target) AS matched, (SELECT count(*) FROM removed) AS changed";

  /** ADD and REMOVE for one contact ($3), the same text on the Vert.x pool and inside a journey step's JDBC transaction. */
  private static final String ADD_ONE = String.format(ADD, "c.id = $3");
  private static final String REMOVE_ONE = String.format(REMOVE, "c.id = $3");

  private static final String ID_BY_NAME = "SELECT t.id FROM tags t JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE g.name = $1 AND t.name = $2";

  private final Pool pool;
  private final SegmentService segments;

  public TagService(Pool pool, SegmentService segments) {
    this.pool = pool;
    this.segments = segments;
  }

  // ---- groups -------------------------------------------------------------------------------

  public Future<JsonObject> createGroup(JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery("INSERT INTO tag_groups (name) VALUES ($1) RETURNING id, name, created_at")
        .execute(Tuple.of(name))
        .map(rows -> group(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A tag group named " + name + " already exists"));
  }

  /** Tag groups and tags read alphabetically unless asked otherwise, as a picker shows them. */
  static final Sorts GROUP_SORTS = Sorts.of("name", Sorts.number("id", "g.id"), Sorts.text("name", "g.name"));
  static final Sorts TAG_SORTS = Sorts.of("name", Sorts.number("id", "t.id"), Sorts.text("name", "t.name"));
  /** A contact's tag changes, latest first. */
  public static final Sorts HISTORY_SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  public Future<JsonObject> listGroups(Page page) {
    SqlParams p = new SqlParams();
    return pool.preparedQuery("SELECT g.id, g.name, g.created_at, "
            + "(SELECT count(*) FROM tags t WHERE t.group_id = g.id) AS tag_count "
            + "FROM tag_groups g WHERE " + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, r -> group(r).put("tag_count", r.getLong("tag_count")))));
  }

  public Future<JsonObject> getGroup(long id) {
    return pool.preparedQuery("SELECT id, name, created_at FROM tag_groups WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.notFound("Tag group " + id));
          }
          JsonObject g = group(rows.iterator().next());
          return pool.preparedQuery("SELECT " + TAG_COLUMNS + " FROM tags t JOIN tag_groups g ON g.id = t.group_id "
                  + "WHERE t.group_id = $1 ORDER BY t.id").execute(Tuple.of(id))
              .map(tags -> g.put("tags", Rows.array(tags, TagService::tag)));
        });
  }

  public Future<JsonObject> renameGroup(long id, JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery("UPDATE tag_groups SET name = $2 WHERE id = $1 RETURNING id, name, created_at")
        .execute(Tuple.of(id, name))
        .map(rows -> Rows.one(rows, "Tag group " + id, TagService::group))
        .recover(Rows.conflictOnDuplicate("A tag group named " + name + " already exists"));
  }

  /** Only an empty group may go: deleting tags in passing would be too easy to do by mistake. */
  public Future<Void> deleteGroup(long id) {
    return pool.preparedQuery("DELETE FROM tag_groups g WHERE g.id = $1 "
            + "AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.group_id = g.id) RETURNING id")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : getGroup(id).compose(g -> Future.failedFuture(Problem.conflict(
                "Tag group " + id + " still has tags; delete them first", null))));
  }

  // ---- tags ---------------------------------------------------------------------------------

  public Future<JsonObject> createTag(JsonObject body) {
    String name = Names.required(body, "name");
    long groupId = Names.positiveId(body, "group_id");
    return pool.preparedQuery("INSERT INTO tags (group_id, name) SELECT id, $2 FROM tag_groups WHERE id = $1 "
            + "RETURNING id")
        .execute(Tuple.of(groupId, name))
        .recover(Rows.conflictOnDuplicate("The group already has a tag named " + name))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.invalid("group_id", "names no tag group"));
          }
          return getTag(rows.iterator().next().getLong("id"));
        });
  }

  public Future<JsonObject> getTag(long id) {
    return pool.preparedQuery("SELECT " + TAG_COLUMNS + ", (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) "
            + "AS contact_count FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Tag " + id, r -> tag(r).put("contact_count", r.getLong("contact_count"))));
  }

  public Future<JsonObject> listTags(Long groupId, Page page) {
    SqlParams p = new SqlParams();
    String group = groupId == null ? "" : " AND t.group_id = " + p.add(groupId);
    return pool.preparedQuery("SELECT " + TAG_COLUMNS + " FROM tags t JOIN tag_groups g ON g.id = t.group_id "
            + "WHERE " + page.after(p::add) + group + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, TagService::tag)));
  }

  public Future<JsonObject> renameTag(long id, JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery("UPDATE tags SET name = $2 WHERE id = $1 RETURNING id")
        .execute(Tuple.of(id, name))
        .recover(Rows.conflictOnDuplicate("The group already has a tag named " + name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Problem.notFound("Tag " + id)) : getTag(id));
  }

  /** Deleting a tag takes it off every contact, and each contact's history says so. */
  public Future<Void> deleteTag(long id, String actor) {
    return pool.withTransaction(conn -> conn.preparedQuery(String.format(REMOVE,
                "EXISTS (SELECT 1 FROM contact_tags x WHERE x.contact_id = c.id AND x.tag_id = $1)"))
            .execute(Tuple.of(id, actor))
            .compose(r -> conn.preparedQuery("DELETE FROM tags WHERE id = $1 RETURNING id").execute(Tuple.of(id))))
        .map(rows -> Rows.deleted(rows, "Tag " + id));
  }

  // ---- tagging ------------------------------------------------------------------------------

  /** {@code {"tag_ids": [..]}} on one contact. */
  public Future<JsonObject> tagContact(long contactId, JsonObject body, String actor) {
    Set<Long> tagIds = Names.ids(body, "tag_ids", 100);
    return pool.withTransaction(conn -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (long tagId : tagIds) {
        chain = chain.compose(sum -> conn.preparedQuery(ADD_ONE)
            .execute(Tuple.of(tagId, actor, contactId))
            .map(rows -> {
              Row r = rows.iterator().next();
              if (r.getLong("matched") == 0) {
                throw Problem.notFound("Contact " + contactId);
              }
              return sum + r.getLong("changed").intValue();
            }));
      }
      return chain;
    }).recover(err -> isMissingTag(err)
        ? Future.failedFuture(Problem.invalid("tag_ids", "names a tag that does not exist"))
        : Future.failedFuture(err))
        .map(added -> new JsonObject().put("added", added));
  }

  public Future<Void> untagContact(long contactId, long tagId, String actor) {
    return untagIfTagged(contactId, tagId, actor).map(changed -> {
      if (!changed) {
        throw Problem.notFound("Tag " + tagId + " on contact " + contactId);
      }
      return null;
    });
  }

  /** Removes the tag, answering whether the contact had it (a journey removes without caring). */
  public Future<Boolean> untagIfTagged(long contactId, long tagId, String actor) {
    return pool.preparedQuery(REMOVE_ONE).execute(Tuple.of(tagId, actor, contactId))
        .map(rows -> rows.iterator().next().getLong("changed") > 0);
  }

  /** The id of the tag {@code name} in group {@code group}, both made if missing (journeys name tags by name). */
  public Future<Long> ensure(String group, String name) {
    return pool.preparedQuery("WITH g AS (INSERT INTO tag_groups (name) VALUES ($1) "
            + "  ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id), "
            + "t AS (INSERT INTO tags (group_id, name) SELECT id, $2 FROM g "
            + "  ON CONFLICT (group_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id) "
            + "SELECT id FROM t")
        .execute(Tuple.of(group, name))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  // ---- inside a caller's JDBC transaction (a journey step), blocking ------------------------

  /** The id of tag {@code name} in group {@code group}, or null when there is none yet ({@link #ensure} makes it). */
  public static Long find(Connection jdbc, String group, String name) throws SQLException {
    List<Map<String, Object>> rows = JdbcSql.query(jdbc, ID_BY_NAME, group, name);
    return rows.isEmpty() ? null : (Long) rows.get(0).get("id");
  }

  /** Adds ({@code add}) or removes the tag on the contact; answers whether that changed anything. */
  public static boolean change(Connection jdbc, long contactId, long tagId, String actor, boolean add) throws SQLException {
    List<Map<String, Object>> rows = JdbcSql.query(jdbc, add ? ADD_ONE : REMOVE_ONE, tagId, actor, contactId);
    if ((Long) rows.get(0).get("matched") == 0) {
      throw Problem.notFound("Contact " + contactId);
    }
    return (Long) rows.get(0).get("changed") > 0;
  }

  /**
   * Adds ({@code add}) or removes the tag for {@code {"contact_ids": [...]}} (up to 10,000) or a
   * whole saved segment {@code {"segment_id": n}}. Answers how many contacts it matched and changed.
   */
  public Future<JsonObject> bulk(long tagId, JsonObject body, String actor, boolean add) {
    boolean bySegment = body.containsKey("segment_id");
    if (bySegment == body.containsKey("contact_ids")) {
      throw Problem.invalid("body", "send exactly one of contact_ids or segment_id");
    }
    SqlParams p = SqlParams.startingWith(tagId, actor);
    Future<String> condition = bySegment
        ? segments.condition(Names.positiveId(body, "segment_id"), p)
        : Future.succeededFuture("c.id = ANY(" + p.add(Names.ids(body, "contact_ids", MAX_CONTACT_IDS).toArray(Long[]::new))
            + "::bigint[])");
    return getTag(tagId)
        .compose(t -> condition)
        .compose(where -> pool.withTransaction(conn ->
            conn.preparedQuery(String.format(add ? ADD : REMOVE, where)).execute(p.tuple())))
        .map(rows -> {
          Row r = rows.iterator().next();
          long matched = r.getLong("matched");
          long changed = r.getLong("changed");
          return new JsonObject().put("matched", matched).put(add ? "added" : "removed", changed)
              .put("unchanged", matched - changed);
        });
  }

  public Future<JsonArray> ofContact(long contactId) {
    return pool.preparedQuery("SELECT " + TAG_COLUMNS + ", ct.tagged_at, ct.tagged_by FROM contact_tags ct "
            + "JOIN tags t ON t.id = ct.tag_id JOIN tag_groups g ON g.id = t.group_id "
            + "WHERE ct.contact_id = $1 ORDER BY g.name, t.name")
        .execute(Tuple.of(contactId))
        .map(rows -> Rows.array(rows, r -> tag(r)
            .put("tagged_at", Rows.instant(r.getOffsetDateTime("tagged_at")))
            .put("tagged_by", r.getString("tagged_by"))));
  }

  public Future<JsonObject> history(long contactId, Page page) {
    SqlParams p = SqlParams.startingWith(contactId);
    return pool.preparedQuery("SELECT id, tag_id, tag_name, action, actor, changed_at FROM tag_changes "
            + "WHERE contact_id = $1 AND " + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, r -> new JsonObject()
            .put("id", r.getLong("id"))
            .put("tag_id", r.getLong("tag_id"))
            .put("tag_name", r.getString("tag_name"))
            .put("action", r.getString("action"))
            .put("actor", r.getString("actor"))
            .put("changed_at", Rows.instant(r.getOffsetDateTime("changed_at"))))));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A missing tag shows up as a foreign-key (or, via the history's tag name, not-null) violation. */
  private static boolean isMissingTag(Throwable err) {
    return err instanceof PgException pg && ("23503".equals(pg.getSqlState()) || "23502".equals(pg.getSqlState()));
  }

  private static JsonObject group(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))
        .put("created_at", Rows.instant(r.getOffsetDateTime("created_at")));
  }

  private static JsonObject tag(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("group_id", r.getLong("group_id"))
        .put("group", r.getString("group_name")).put("name", r.getString("name"))
        .put("created_at", Rows.instant(r.getOffsetDateTime("created_at")));
  }

  /** Validation of the small inputs tags take. */
  static final class Names {
    private Names() {}

    static String required(JsonObject body, String key) {
      if (!(body.getValue(key) instanceof String s) || s.isBlank() || s.trim().length() > 100) {
        throw Problem.invalid(key, "is required, 1 to 100 characters");
      }
      return s.trim();
    }

    static long positiveId(JsonObject body, String key) {
      Long id = JsonValues.positiveId(body.getValue(key));
      if (id == null) {
        throw Problem.invalid(key, "must be a positive id");
      }
      return id;
    }

    static Set<Long> ids(JsonObject body, String key, int max) {
      if (!(body.getValue(key) instanceof JsonArray arr) || arr.isEmpty() || arr.size() > max) {
        throw Problem.invalid(key, "must be a list of 1 to " + max + " ids");
      }
      Set<Long> ids = new LinkedHashSet<>();
      for (int i = 0; i < arr.size(); i++) {
        Long id = JsonValues.positiveId(arr.getValue(i));
        if (id == null) {
          throw Problem.invalid(key + "[" + i + "]", "must be a positive id");
        }
        ids.add(id);
      }
      return ids;
    }
  }
}
