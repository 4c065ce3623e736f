package io.siyu.tag;

import io.siyu.db.JdbcSql;
import io.siyu.db.RowJson;
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
  private final Pool pool;
  private final SegmentService segments;

  public TagService(Pool pool, SegmentService segments) {
    this.pool = pool;
    this.segments = segments;
  }

  // ---- groups -------------------------------------------------------------------------------

  public Future<JsonObject> createGroup(JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery(TagSql.INSERT_GROUP)
        .execute(Tuple.of(name))
        .map(rows -> RowJson.of(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A tag group named " + name + " already exists"));
  }

  /** Tag groups and tags read alphabetically unless asked otherwise, as a picker shows them. */
  static final Sorts GROUP_SORTS = Sorts.of("name", Sorts.number("id", "g.id"), Sorts.text("name", "g.name"));
  static final Sorts TAG_SORTS = Sorts.of("name", Sorts.number("id", "t.id"), Sorts.text("name", "t.name"));
  /** A contact's tag changes, latest first. */
  public static final Sorts HISTORY_SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  public Future<JsonObject> listGroups(Page page) {
    SqlParams p = new SqlParams();
    return pool.preparedQuery(TagSql.GROUPS_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  public Future<JsonObject> getGroup(long id) {
    return pool.preparedQuery(TagSql.GROUP).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.notFound("Tag group " + id));
          }
          JsonObject g = RowJson.of(rows.iterator().next());
          return pool.preparedQuery(TagSql.TAGS_OF_GROUP).execute(Tuple.of(id))
              .map(tags -> g.put("tags", Rows.array(tags, RowJson::of)));
        });
  }

  public Future<JsonObject> renameGroup(long id, JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery(TagSql.RENAME_GROUP)
        .execute(Tuple.of(id, name))
        .map(rows -> Rows.one(rows, "Tag group " + id, RowJson::of))
        .recover(Rows.conflictOnDuplicate("A tag group named " + name + " already exists"));
  }

  /** Only an empty group may go: deleting tags in passing would be too easy to do by mistake. */
  public Future<Void> deleteGroup(long id) {
    return pool.preparedQuery(TagSql.DELETE_EMPTY_GROUP)
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
            : getGroup(id).compose(g -> Future.failedFuture(Problem.conflict(
                "Tag group " + id + " still has tags; delete them first", null))));
  }

  // ---- tags ---------------------------------------------------------------------------------

  public Future<JsonObject> createTag(JsonObject body) {
    String name = Names.required(body, "name");
    long groupId = Names.positiveId(body, "group_id");
    return pool.preparedQuery(TagSql.INSERT_TAG)
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
    return pool.preparedQuery(TagSql.TAG)
        .execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Tag " + id, RowJson::of));
  }

  public Future<JsonObject> listTags(Long groupId, Page page) {
    SqlParams p = new SqlParams();
    String group = groupId == null ? "" : " AND t.group_id = " + p.add(groupId);
    return pool.preparedQuery(TagSql.TAGS_WHERE + page.after(p::add) + group + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  public Future<JsonObject> renameTag(long id, JsonObject body) {
    String name = Names.required(body, "name");
    return pool.preparedQuery(TagSql.RENAME_TAG)
        .execute(Tuple.of(id, name))
        .recover(Rows.conflictOnDuplicate("The group already has a tag named " + name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Problem.notFound("Tag " + id)) : getTag(id));
  }

  /** Deleting a tag takes it off every contact, and each contact's history says so. */
  public Future<Void> deleteTag(long id, String actor) {
    return pool.withTransaction(conn -> conn.preparedQuery(TagSql.REMOVE_FROM_ALL)
            .execute(Tuple.of(id, actor))
            .compose(r -> conn.preparedQuery(TagSql.DELETE_TAG).execute(Tuple.of(id))))
        .map(rows -> Rows.deleted(rows, "Tag " + id));
  }

  // ---- tagging ------------------------------------------------------------------------------

  /** {@code {"tag_ids": [..]}} on one contact. */
  public Future<JsonObject> tagContact(long contactId, JsonObject body, String actor) {
    Set<Long> tagIds = Names.ids(body, "tag_ids", 100);
    return pool.withTransaction(conn -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (long tagId : tagIds) {
        chain = chain.compose(sum -> conn.preparedQuery(TagSql.ADD_ONE)
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
    return pool.preparedQuery(TagSql.REMOVE_ONE).execute(Tuple.of(tagId, actor, contactId))
        .map(rows -> rows.iterator().next().getLong("changed") > 0);
  }

  /** The id of the tag {@code name} in group {@code group}, both made if missing (journeys name tags by name). */
  public Future<Long> ensure(String group, String name) {
    return pool.preparedQuery(TagSql.ENSURE)
        .execute(Tuple.of(group, name))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  // ---- inside a caller's JDBC transaction (a journey step), blocking ------------------------

  /** The id of tag {@code name} in group {@code group}, or null when there is none yet ({@link #ensure} makes it). */
  public static Long find(Connection jdbc, String group, String name) throws SQLException {
    List<Map<String, Object>> rows = JdbcSql.query(jdbc, TagSql.ID_BY_NAME, group, name);
    return rows.isEmpty() ? null : (Long) rows.get(0).get("id");
  }

  /** Adds ({@code add}) or removes the tag on the contact; answers whether that changed anything. */
  public static boolean change(Connection jdbc, long contactId, long tagId, String actor, boolean add) throws SQLException {
    List<Map<String, Object>> rows = JdbcSql.query(jdbc, add ? TagSql.ADD_ONE : TagSql.REMOVE_ONE, tagId, actor, contactId);
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
            conn.preparedQuery(String.format(add ? TagSql.ADD : TagSql.REMOVE, where)).execute(p.tuple())))
        .map(rows -> {
          Row r = rows.iterator().next();
          long matched = r.getLong("matched");
          long changed = r.getLong("changed");
          return new JsonObject().put("matched", matched).put(add ? "added" : "removed", changed)
              .put("unchanged", matched - changed);
        });
  }

  public Future<JsonArray> ofContact(long contactId) {
    return pool.preparedQuery(TagSql.OF_CONTACT)
        .execute(Tuple.of(contactId))
        .map(rows -> Rows.array(rows, RowJson::of));
  }

  public Future<JsonObject> history(long contactId, Page page) {
    SqlParams p = SqlParams.startingWith(contactId);
    return pool.preparedQuery(TagSql.HISTORY_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A missing tag shows up as a foreign-key (or, via the history's tag name, not-null) violation. */
  private static boolean isMissingTag(Throwable err) {
    return err instanceof PgException pg && ("23503".equals(pg.getSqlState()) || "23502".equals(pg.getSqlState()));
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
