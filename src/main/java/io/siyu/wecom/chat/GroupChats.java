package io.siyu.wecom.chat;

import io.siyu.contact.Like;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading group chats for the API: the list, one chat with a page of its members, and its size,
 * joins and leaves by day. A member is linked to the contact whose {@code external_userid} is its
 * userid at the moment it is read, so a contact made after the member joined is linked at once.
 */
public final class GroupChats {
  /** A chat as the API shows it, in the order of its JSON. */
  private static final String CHAT_COLUMNS = "g.id, g.chat_id, g.name, g.owner_userid AS owner, g.notice, "
      + "CASE WHEN g.dismissed_at IS NULL THEN 'active' ELSE 'dismissed' END AS status, g.member_count, "
      + "g.member_version, g.created_at, g.dismissed_at, g.first_seen_at, g.updated_at";
  /** Followed by the filters and the page's order. */
  private static final String CHATS_WHERE = "SELECT " + CHAT_COLUMNS + " FROM group_chats g WHERE ";
  private static final String CHAT = "SELECT " + CHAT_COLUMNS + " FROM group_chats g WHERE g.chat_id = $1";

  /** A page of a chat's members as the API shows them, in the order of their JSON. */
  private static final String MEMBERS = "SELECT m.id, m.userid, m.member_type AS type, c.id AS contact_id, m.name, "
      + "m.group_nickname, m.unionid, m.joined_at, m.join_scene, m.invitor, m.left_at, m.quit_scene "
      + "FROM group_chat_members m "
      + "LEFT JOIN contacts c ON c.external_userid = m.userid AND m.member_type IS DISTINCT FROM 'staff' "
      + "WHERE m.chat_id = $1 AND CASE $2::text WHEN 'active' THEN m.left_at IS NULL "
      + "  WHEN 'left' THEN m.left_at IS NOT NULL ELSE true END AND ";

  /** The chat seen last first, or the biggest ({@code -member_count}). */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "g.id"), Sorts.number("member_count", "g.member_count"));
  /** Members in the order Siyu first saw them, unless asked otherwise. */
  static final Sorts MEMBER_SORTS = Sorts.of("id", Sorts.number("id", "m.id"));

  /**
   * Per local day: joins and leaves logged that day, and the size after the day's last change before
   * its end (carried over days without changes; null before the first known change).
   */
  private static final String STATS = "SELECT d::date AS date, "
      + "  (SELECT l.member_count FROM group_chat_changes l WHERE l.chat_id = $1 "
      + "     AND l.occurred_at < ((d + interval '1 day') AT TIME ZONE $4::text) "
      + "     ORDER BY l.occurred_at DESC, l.id DESC LIMIT 1) AS size, "
      + "  coalesce(sum(x.joins), 0) AS joins, coalesce(sum(x.leaves), 0) AS leaves "
      + "FROM generate_series($2::date::timestamp, $3::date::timestamp, interval '1 day') AS d "
      + "LEFT JOIN group_chat_changes x ON x.chat_id = $1 AND x.occurred_at >= (d AT TIME ZONE $4::text) "
      + "  AND x.occurred_at < ((d + interval '1 day') AT TIME ZONE $4::text) "
      + "GROUP BY d ORDER BY d";

  private final Pool pool;
  private final String defaultZone;

  public GroupChats(Pool pool, String defaultZone) {
    this.pool = pool;
    this.defaultZone = defaultZone;
  }

  String defaultZone() {
    return defaultZone;
  }

  Future<JsonObject> list(GroupChatQuery.ListFilter filter, Page page) {
    SqlParams p = new SqlParams();
    List<String> where = new ArrayList<>(List.of(page.after(p::add)));
    if (filter.owner() != null) {
      where.add("g.owner_userid = " + p.add(filter.owner()));
    }
    if (filter.name() != null) {
      where.add("g.name ILIKE " + p.add("%" + Like.escape(filter.name()) + "%"));
    }
    if (filter.status() != null) {
      where.add("active".equals(filter.status()) ? "g.dismissed_at IS NULL" : "g.dismissed_at IS NOT NULL");
    }
    if (filter.contactId() != null) {
      where.add("g.chat_id IN (SELECT m.chat_id FROM group_chat_members m JOIN contacts c ON c.external_userid = m.userid "
          + "WHERE c.id = " + p.add(filter.contactId()) + " AND m.left_at IS NULL AND m.member_type IS DISTINCT FROM 'staff')");
    }
    return pool.preparedQuery(CHATS_WHERE + String.join(" AND ", where)
            + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /** The chat with {@code members}: a page of its members ({@code active}, {@code left} or {@code all}). */
  Future<JsonObject> get(String chatId, String memberStatus, Page page) {
    SqlParams p = SqlParams.startingWith(chatId, memberStatus);
    return chat(chatId).compose(chat -> pool.preparedQuery(MEMBERS + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> chat.put("members", page.wrap(Rows.array(rows, RowJson::of)))));
  }

  Future<JsonObject> stats(String chatId, GroupChatQuery.StatsRange range) {
    return chat(chatId).compose(chat -> pool.preparedQuery(STATS)
        .execute(Tuple.of(chatId, range.from(), range.to(), range.zone().getId()))
        .map(rows -> new JsonObject().put("chat_id", chatId).put("timezone", range.zone().getId())
            .put("from", range.from().toString()).put("to", range.to().toString())
            .put("days", Rows.array(rows, RowJson::of))));
  }

  private Future<JsonObject> chat(String chatId) {
    return pool.preparedQuery(CHAT)
        .execute(Tuple.of(chatId))
        .map(rows -> Rows.one(rows, "Group chat " + chatId, RowJson::of));
  }

  /** A path's chat id: WeCom's are short and plain, so anything else names no chat. */
  static String chatId(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 200 || raw.indexOf('\u0000') >= 0) {
      throw Problem.notFound("Group chat " + raw);
    }
    return raw;
  }
}
