package io.siyu.wecom.tag;

import io.siyu.db.Rows;
import io.siyu.problem.Problem;
import io.siyu.tag.TagService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Siyu's tag groups and tags that mirror WeCom's corp tags, found by WeCom's ids. A group or tag
 * WeCom names for the first time takes over Siyu's group or tag of the same name if that one
 * mirrors nothing yet, so tags made by hand before WeCom was connected keep their contacts.
 *
 * <p>A mirror WeCom deleted is deleted through {@link TagService#deleteTag} with the actor
 * {@link #ACTOR}, so each contact's history records the removal and nothing is pushed back. A
 * deleted WeCom group goes with its mirrored tags; tags added to it in Siyu stay, and so does the
 * group, no longer mirroring anything.
 */
public final class CorpTagMirror {
  /**
   * The actor of tag changes that came from WeCom: the push-back skips changes whose actor starts
   * with {@code wecom} (V25's trigger), so what WeCom told Siyu is never told back.
   */
  public static final String ACTOR = "wecom";

  private static final String UPSERT_GROUP = "WITH byid AS (UPDATE tag_groups SET name = $2, wecom_order = $3 "
      + "  WHERE wecom_group_id = $1 RETURNING id), "
      + "adopted AS (INSERT INTO tag_groups (name, wecom_group_id, wecom_order) SELECT $2, $1, $3 "
      + "  WHERE NOT EXISTS (SELECT 1 FROM byid) "
      + "  ON CONFLICT (name) DO UPDATE SET wecom_group_id = EXCLUDED.wecom_group_id, wecom_order = EXCLUDED.wecom_order "
      + "  WHERE tag_groups.wecom_group_id IS NULL OR tag_groups.wecom_group_id = EXCLUDED.wecom_group_id RETURNING id) "
      + "SELECT id FROM byid UNION ALL SELECT id FROM adopted";

  private static final String UPSERT_TAG = "WITH byid AS (UPDATE tags SET name = $2, wecom_order = $3, group_id = $4 "
      + "  WHERE wecom_tag_id = $1 RETURNING id), "
      + "adopted AS (INSERT INTO tags (group_id, name, wecom_tag_id, wecom_order) SELECT $4, $2, $1, $3 "
      + "  WHERE NOT EXISTS (SELECT 1 FROM byid) "
      + "  ON CONFLICT (group_id, name) DO UPDATE SET wecom_tag_id = EXCLUDED.wecom_tag_id, wecom_order = EXCLUDED.wecom_order "
      + "  WHERE tags.wecom_tag_id IS NULL OR tags.wecom_tag_id = EXCLUDED.wecom_tag_id RETURNING id) "
      + "SELECT id FROM byid UNION ALL SELECT id FROM adopted";

  /** Mirrored tags of a group that WeCom's whole answer for that group no longer lists. */
  private static final String TAGS_NOT_LISTED = "SELECT t.wecom_tag_id FROM tags t JOIN tag_groups g ON g.id = t.group_id "
      + "WHERE g.wecom_group_id = $1 AND t.wecom_tag_id IS NOT NULL AND NOT (t.wecom_tag_id = ANY($2::text[]))";
  private static final String GROUPS_NOT_LISTED = "SELECT wecom_group_id FROM tag_groups "
      + "WHERE wecom_group_id IS NOT NULL AND NOT (wecom_group_id = ANY($1::text[]))";

  private static final String TAG_BY_WECOM_ID = "SELECT id FROM tags WHERE wecom_tag_id = $1";
  private static final String GROUP_BY_WECOM_ID = "SELECT id FROM tag_groups WHERE wecom_group_id = $1";
  private static final String MIRRORED_TAGS_OF_GROUP = "SELECT wecom_tag_id FROM tags WHERE group_id = $1 "
      + "AND wecom_tag_id IS NOT NULL";
  private static final String DELETE_EMPTY_GROUP = "DELETE FROM tag_groups g WHERE g.id = $1 "
      + "AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.group_id = g.id) RETURNING id";
  private static final String UNLINK_GROUP = "UPDATE tag_groups SET wecom_group_id = NULL, wecom_order = NULL WHERE id = $1";

  /** What a {@code get_corp_tag_list} answer covers: only what it lists are facts, unless it is whole. */
  record Scope(List<String> tagIds, String groupId, boolean all) {
    static Scope tags(String tagId) {
      return new Scope(List.of(tagId), null, false);
    }

    static Scope group(String groupId) {
      return new Scope(List.of(), groupId, false);
    }

    static final Scope ALL = new Scope(List.of(), null, true);
  }

  private final Pool pool;
  private final TagService tags;

  CorpTagMirror(Pool pool, TagService tags) {
    this.pool = pool;
    this.tags = tags;
  }

  /**
   * Makes Siyu's mirrors match an answer: names and orders upserted in one transaction, then the
   * mirrors of what WeCom deleted (marked deleted, or missing from an answer that covers them) deleted.
   */
  Future<Void> apply(List<CorpTag.Group> groups, Scope scope) {
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> upsert(conn, groups)))
        .compose(v -> gone(groups, scope))
        .compose(gone -> deleteAll(gone.groups(), this::deleteGroup).compose(x -> deleteAll(gone.tags(), this::deleteTag)));
  }

  private Future<Void> upsert(SqlConnection conn, List<CorpTag.Group> groups) {
    Future<Void> chain = Future.succeededFuture();
    for (CorpTag.Group g : groups) {
      if (g.deleted() || g.name() == null) {
        continue;
      }
      chain = chain.compose(v -> one(conn, UPSERT_GROUP, Tuple.of(g.id(), g.name(), g.order()), "tag group " + g.name()))
          .compose(groupId -> {
            Future<Void> tagChain = Future.succeededFuture();
            for (CorpTag t : g.tags()) {
              if (!t.deleted() && t.name() != null) {
                tagChain = tagChain.compose(x -> one(conn, UPSERT_TAG, Tuple.of(t.id(), t.name(), t.order(), groupId),
                    "tag " + g.name() + "/" + t.name()).mapEmpty());
              }
            }
            return tagChain;
          });
    }
    return chain;
  }

  /**
   * Nothing returned: the name belongs to another WeCom group or tag (two renames crossing, the
   * second not applied yet). Failing lets the callback be tried again once it is.
   */
  private static Future<Long> one(SqlConnection conn, String sql, Tuple args, String what) {
    return conn.preparedQuery(sql).execute(args).compose(rows -> rows.size() > 0
        ? Future.succeededFuture(rows.iterator().next().getLong("id"))
        : Future.failedFuture(new IllegalStateException("the name of WeCom's " + what
            + " is taken by another mirrored one; will try again")));
  }

  private record Gone(List<String> groups, List<String> tags) {}

  private Future<Gone> gone(List<CorpTag.Group> groups, Scope scope) {
    List<String> goneGroups = new ArrayList<>();
    List<String> goneTags = new ArrayList<>();
    Set<String> listedGroups = new HashSet<>();
    Set<String> listedTags = new HashSet<>();
    for (CorpTag.Group g : groups) {
      if (g.deleted()) {
        goneGroups.add(g.id());
      } else {
        listedGroups.add(g.id());
      }
      for (CorpTag t : g.tags()) {
        if (t.deleted() || g.deleted()) {
          goneTags.add(t.id());
        } else {
          listedTags.add(t.id());
        }
      }
    }
    // asked for and not answered: WeCom no longer has it
    scope.tagIds().stream().filter(id -> !listedTags.contains(id) && !goneTags.contains(id)).forEach(goneTags::add);
    if (scope.groupId() != null && !listedGroups.contains(scope.groupId()) && !goneGroups.contains(scope.groupId())) {
      goneGroups.add(scope.groupId());
    }
    // a group's answer lists all its tags; a whole answer lists all groups
    Set<String> wholeGroups = scope.all() ? listedGroups
        : scope.groupId() != null && listedGroups.contains(scope.groupId()) ? Set.of(scope.groupId()) : Set.of();
    Future<Void> missing = Future.succeededFuture();
    for (String groupId : wholeGroups) {
      missing = missing.compose(v -> pool.preparedQuery(TAGS_NOT_LISTED)
          .execute(Tuple.of(groupId).addValue(listedTags.toArray(String[]::new)))
          .map(rows -> {
            rows.forEach(r -> goneTags.add(r.getString("wecom_tag_id")));
            return null;
          }));
    }
    if (scope.all()) {
      missing = missing.compose(v -> pool.preparedQuery(GROUPS_NOT_LISTED)
          .execute(Tuple.of((Object) listedGroups.toArray(String[]::new)))
          .map(rows -> {
            rows.forEach(r -> goneGroups.add(r.getString("wecom_group_id")));
            return null;
          }));
    }
    return missing.map(v -> new Gone(goneGroups, goneTags));
  }

  private static Future<Void> deleteAll(List<String> ids, java.util.function.Function<String, Future<Void>> delete) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> delete.apply(id));
    }
    return chain;
  }

  /** Deletes the mirror of WeCom's tag, if there is one; a second call finds none. */
  Future<Void> deleteTag(String wecomTagId) {
    return pool.preparedQuery(TAG_BY_WECOM_ID).execute(Tuple.of(wecomTagId)).compose(rows -> rows.size() == 0
        ? Future.<Void>succeededFuture()
        : tags.deleteTag(rows.iterator().next().getLong("id"), ACTOR).recover(err ->
            err instanceof Problem p && p.status() == 404 ? Future.succeededFuture() : Future.failedFuture(err)));
  }

  /** Deletes the mirror of WeCom's group: its mirrored tags, then the group if nothing of Siyu's own is left in it. */
  Future<Void> deleteGroup(String wecomGroupId) {
    return pool.preparedQuery(GROUP_BY_WECOM_ID).execute(Tuple.of(wecomGroupId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      long groupId = rows.iterator().next().getLong("id");
      return pool.preparedQuery(MIRRORED_TAGS_OF_GROUP).execute(Tuple.of(groupId))
          .compose(mirrored -> {
            List<String> ids = new ArrayList<>();
            mirrored.forEach(r -> ids.add(r.getString("wecom_tag_id")));
            return deleteAll(ids, this::deleteTag);
          })
          .compose(v -> pool.preparedQuery(DELETE_EMPTY_GROUP).execute(Tuple.of(groupId)))
          .compose(deleted -> deleted.size() > 0 ? Future.<Void>succeededFuture()
              : pool.preparedQuery(UNLINK_GROUP).execute(Tuple.of(groupId)).<Void>mapEmpty());
    });
  }
}
