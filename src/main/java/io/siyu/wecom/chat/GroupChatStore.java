package io.siyu.wecom.chat;

import io.siyu.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one chat change in one transaction: the chat row (locked, so changes of one chat run in
 * turn), its members, and the change log row keyed by the callback. A callback whose log row exists
 * was applied before: nothing changes, and the member events it owed are answered again so they can
 * be sent again (event ingestion drops what it already has).
 */
final class GroupChatStore {
  private static final String ENSURE_CHAT = "INSERT INTO group_chats (chat_id) VALUES ($1) ON CONFLICT (chat_id) DO NOTHING";
  private static final String LOCK_CHAT = "SELECT name, member_version FROM group_chats WHERE chat_id = $1 FOR UPDATE";
  private static final String LOG = "INSERT INTO group_chat_changes (callback_id, chat_id, change, occurred_at, fetched) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (callback_id) DO NOTHING RETURNING id";
  private static final String LOGGED_EVENTS = "SELECT events FROM group_chat_changes WHERE callback_id = $1";
  private static final String FINISH_LOG = "UPDATE group_chat_changes SET joins = $2, leaves = $3, member_count = $4, "
      + "events = $5::jsonb WHERE id = $1";

  private static final String SET_DETAILS = "UPDATE group_chats SET name = $2, owner_userid = $3, notice = $4, "
      + "created_at = coalesce($5, created_at), updated_at = now() WHERE chat_id = $1";
  private static final String SET_CREATED = "UPDATE group_chats SET created_at = coalesce(created_at, $2), updated_at = now() "
      + "WHERE chat_id = $1";
  private static final String DISMISS = "UPDATE group_chats SET dismissed_at = coalesce(dismissed_at, $2), updated_at = now() "
      + "WHERE chat_id = $1";
  private static final String SET_MEMBERS = "UPDATE group_chats SET member_count = $2, "
      + "member_version = coalesce($3, member_version), updated_at = now() WHERE chat_id = $1";
  private static final String COUNT_MEMBERS = "SELECT count(*) AS n FROM group_chat_members WHERE chat_id = $1 AND left_at IS NULL";

  /** A member type known without the API: a userid that is a contact's external_userid is an external contact. */
  private static final String TYPE_FROM_CONTACTS = "CASE WHEN EXISTS (SELECT 1 FROM contacts c WHERE c.external_userid = %s) "
      + "THEN 'external' END";

  /** The API's member list, whole: everyone on it is a member; answers those who were not before (the joins). */
  private static final String MATCH_MEMBERS = "WITH input AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], "
      + "  $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[]) "
      + "  AS t(userid, member_type, unionid, name, group_nickname, joined_at, join_scene, invitor)), "
      + "prior AS (SELECT m.userid FROM group_chat_members m WHERE m.chat_id = $1 AND m.left_at IS NULL), "
      + "up AS (INSERT INTO group_chat_members AS m (chat_id, userid, member_type, unionid, name, group_nickname, "
      + "    joined_at, join_scene, invitor) "
      + "  SELECT $1, i.userid, i.member_type, i.unionid, i.name, i.group_nickname, i.joined_at, i.join_scene, i.invitor "
      + "  FROM input i "
      + "  ON CONFLICT (chat_id, userid) DO UPDATE SET member_type = coalesce(EXCLUDED.member_type, m.member_type), "
      + "    unionid = EXCLUDED.unionid, name = EXCLUDED.name, group_nickname = EXCLUDED.group_nickname, "
      + "    joined_at = coalesce(EXCLUDED.joined_at, m.joined_at), join_scene = coalesce(EXCLUDED.join_scene, m.join_scene), "
      + "    invitor = coalesce(EXCLUDED.invitor, m.invitor), left_at = NULL, quit_scene = NULL "
      + "  RETURNING m.userid, m.member_type, m.joined_at AS at, m.join_scene AS scene) "
      + "SELECT up.* FROM up WHERE up.userid NOT IN (SELECT userid FROM prior)";

  /** Everyone not on the API's list has left ($4: the callback's del_member userids, who left by $5). */
  private static final String MATCH_LEAVERS = "UPDATE group_chat_members m SET left_at = $3, "
      + "quit_scene = CASE WHEN m.userid = ANY($4::text[]) THEN $5 END "
      + "WHERE m.chat_id = $1 AND m.left_at IS NULL AND NOT (m.userid = ANY($2::text[])) "
      + "RETURNING m.userid, m.member_type, m.left_at AS at, m.quit_scene AS scene";

  /**
   * The callback's joins, without the API: applied unless the member is already in, or left later
   * than this join happened (callbacks may come out of order). Answers the joins applied.
   */
  private static final String JOIN = "INSERT INTO group_chat_members AS m (chat_id, userid, member_type, joined_at, join_scene) "
      + "SELECT $1, u.userid, " + String.format(TYPE_FROM_CONTACTS, "u.userid") + ", $3, $4 "
      + "FROM unnest($2::text[]) AS u(userid) "
      + "ON CONFLICT (chat_id, userid) DO UPDATE SET joined_at = EXCLUDED.joined_at, join_scene = EXCLUDED.join_scene, "
      + "  left_at = NULL, quit_scene = NULL, member_type = coalesce(m.member_type, EXCLUDED.member_type) "
      + "WHERE m.left_at IS NOT NULL AND m.left_at <= EXCLUDED.joined_at "
      + "RETURNING m.userid, m.member_type, m.joined_at AS at, m.join_scene AS scene";

  /**
   * The callback's leaves, without the API: a member not seen before is recorded as gone (so an older
   * join arriving later stays out); answers the members who were in and left.
   */
  private static final String LEAVE = "WITH prior AS (SELECT m.userid FROM group_chat_members m "
      + "  WHERE m.chat_id = $1 AND m.left_at IS NULL AND m.userid = ANY($2::text[])), "
      + "up AS (INSERT INTO group_chat_members AS m (chat_id, userid, member_type, left_at, quit_scene) "
      + "  SELECT $1, u.userid, " + String.format(TYPE_FROM_CONTACTS, "u.userid") + ", $3, $4 "
      + "  FROM unnest($2::text[]) AS u(userid) "
      + "  ON CONFLICT (chat_id, userid) DO UPDATE SET left_at = EXCLUDED.left_at, quit_scene = EXCLUDED.quit_scene "
      + "  WHERE m.left_at IS NULL AND (m.joined_at IS NULL OR m.joined_at <= EXCLUDED.left_at) "
      + "  RETURNING m.userid, m.member_type, m.left_at AS at, m.quit_scene AS scene) "
      + "SELECT up.* FROM up JOIN prior USING (userid)";

  private static final String CONTACTS_BY_USERID = "SELECT id, external_userid FROM contacts "
      + "WHERE external_userid = ANY($1::text[])";

  private final Pool pool;

  GroupChatStore(Pool pool) {
    this.pool = pool;
  }

  /** A member who joined or left, as the statements above answer them. */
  private record Moved(String userid, String memberType, Instant at, String scene) {
    static Moved of(Row r) {
      OffsetDateTime at = r.getOffsetDateTime("at");
      return new Moved(r.getString("userid"), r.getString("member_type"), at == null ? null : at.toInstant(),
          r.getString("scene"));
    }
  }

  /** The chat row as locked before a change: what a change without the API keeps or compares with. */
  private record LockedChat(String name, String memberVersion) {}

  /**
   * Applies the change; {@code state} is the chat as the API showed it, or null to go by the callback
   * alone. Answers the member events to send (those of an earlier application when it was applied before).
   */
  Future<JsonArray> apply(ChatChange change, GroupChatState state) {
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> lock(conn, change.chatId())
        .compose(chat -> log(conn, change, state)
            .compose(logId -> logId == null ? loggedEvents(conn, change) : applyNew(conn, change, state, chat, logId)))));
  }

  /** Makes the chat's row if it is new and locks it: changes of one chat run one after another. */
  private static Future<LockedChat> lock(SqlConnection conn, String chatId) {
    return conn.preparedQuery(ENSURE_CHAT).execute(Tuple.of(chatId))
        .compose(x -> conn.preparedQuery(LOCK_CHAT).execute(Tuple.of(chatId)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new LockedChat(r.getString("name"), r.getString("member_version"));
        });
  }

  /** The new log row's id, or null when this callback has one already. */
  private static Future<Long> log(SqlConnection conn, ChatChange change, GroupChatState state) {
    return conn.preparedQuery(LOG)
        .execute(Tuple.of(change.callbackId(), change.chatId(), change.change(), utc(change.at()), state != null))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
  }

  private static Future<JsonArray> loggedEvents(SqlConnection conn, ChatChange change) {
    return conn.preparedQuery(LOGGED_EVENTS).execute(Tuple.of(change.callbackId()))
        .map(rows -> rows.iterator().next().getJsonArray("events"));
  }

  private Future<JsonArray> applyNew(SqlConnection conn, ChatChange change, GroupChatState state, LockedChat chat,
      long logId) {
    return details(conn, change, state)
        .compose(v -> state != null ? match(conn, change, state) : applyCallback(conn, change, chat.memberVersion()))
        .compose(moves -> finish(conn, change, state, state != null ? state.name() : chat.name(), logId, moves));
  }

  /** Name, owner, notice and creation from the API; without it only what the callback itself says. */
  private static Future<Void> details(SqlConnection conn, ChatChange change, GroupChatState state) {
    if (change.dismisses()) {
      return conn.preparedQuery(DISMISS).execute(Tuple.of(change.chatId(), utc(change.at()))).mapEmpty();
    }
    if (state != null) {
      return conn.preparedQuery(SET_DETAILS).execute(Tuple.of(change.chatId(), state.name(), state.owner(),
          state.notice(), utc(state.createdAt()))).mapEmpty();
    }
    return change.creates()
        ? conn.preparedQuery(SET_CREATED).execute(Tuple.of(change.chatId(), utc(change.at()))).mapEmpty()
        : Future.succeededFuture();
  }

  /** The chat's size and member version, then the log row with what moved and the events it owes. */
  private static Future<JsonArray> finish(SqlConnection conn, ChatChange change, GroupChatState state, String chatName,
      long logId, Moves moves) {
    return memberCount(conn, change, state)
        .compose(count -> conn.preparedQuery(SET_MEMBERS).execute(Tuple.of(change.chatId(), count,
            state != null ? state.memberVersion() : change.currentVersion())).map(count))
        .compose(count -> MemberEvents.of(conn, change, chatName, moves.joins(), moves.leaves())
            .compose(events -> conn.preparedQuery(FINISH_LOG).execute(Tuple.of(logId, moves.joins().size(),
                moves.leaves().size(), change.dismisses() ? 0 : count, events)).map(events)));
  }

  /** Who joined and who left in one change. */
  record Moves(List<Moved> joins, List<Moved> leaves) {
    static final Moves NONE = new Moves(List.of(), List.of());
  }

  private Future<Moves> match(SqlConnection conn, ChatChange change, GroupChatState state) {
    List<GroupChatState.Member> ms = state.members();
    String[] userids = ms.stream().map(GroupChatState.Member::userid).toArray(String[]::new);
    Tuple members = Tuple.of(change.chatId(), userids,
        ms.stream().map(GroupChatState.Member::type).toArray(String[]::new),
        ms.stream().map(GroupChatState.Member::unionid).toArray(String[]::new),
        ms.stream().map(GroupChatState.Member::name).toArray(String[]::new),
        ms.stream().map(GroupChatState.Member::groupNickname).toArray(String[]::new),
        ms.stream().map(m -> utc(m.joinedAt())).toArray(OffsetDateTime[]::new),
        ms.stream().map(GroupChatState.Member::joinScene).toArray(String[]::new),
        ms.stream().map(GroupChatState.Member::invitor).toArray(String[]::new));
    String[] removed = change.removes() ? change.memberIds().toArray(String[]::new) : new String[0];
    return conn.preparedQuery(MATCH_MEMBERS).execute(members).map(GroupChatStore::moved)
        .compose(joins -> conn.preparedQuery(MATCH_LEAVERS).execute(Tuple.of(change.chatId(), userids,
                utc(change.at()), removed, change.quitScene()))
            .map(left -> new Moves(joins, moved(left))));
  }

  /** Without the API: the callback's joins or leaves, unless this member version was applied already. */
  private Future<Moves> applyCallback(SqlConnection conn, ChatChange change, String storedVersion) {
    boolean seen = change.currentVersion() != null && change.currentVersion().equals(storedVersion);
    if (seen || change.memberIds().isEmpty() || !(change.adds() || change.removes())) {
      return Future.succeededFuture(Moves.NONE);
    }
    Tuple args = Tuple.of(change.chatId(), change.memberIds().toArray(String[]::new), utc(change.at()),
        change.adds() ? change.joinScene() : change.quitScene());
    return conn.preparedQuery(change.adds() ? JOIN : LEAVE).execute(args).map(GroupChatStore::moved)
        .map(moved -> change.adds() ? new Moves(moved, List.of()) : new Moves(List.of(), moved));
  }

  private static Future<Integer> memberCount(SqlConnection conn, ChatChange change, GroupChatState state) {
    return state != null ? Future.succeededFuture(state.members().size())
        : conn.preparedQuery(COUNT_MEMBERS).execute(Tuple.of(change.chatId()))
            .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  private static List<Moved> moved(RowSet<Row> rows) {
    List<Moved> out = new ArrayList<>();
    rows.forEach(r -> out.add(Moved.of(r)));
    return out;
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  /** The member events of one change: external contacts Siyu knows who joined or left. */
  private static final class MemberEvents {
    private MemberEvents() {}

    static Future<JsonArray> of(SqlConnection conn, ChatChange change, String chatName, List<Moved> joins,
        List<Moved> leaves) {
      List<Moved> moved = new ArrayList<>(joins);
      moved.addAll(leaves);
      String[] userids = moved.stream().filter(m -> !"staff".equals(m.memberType())).map(Moved::userid)
          .toArray(String[]::new);
      if (userids.length == 0) {
        return Future.succeededFuture(new JsonArray());
      }
      return conn.preparedQuery(CONTACTS_BY_USERID).execute(Tuple.of((Object) userids)).map(rows -> {
        Map<String, Long> contacts = new HashMap<>();
        rows.forEach(r -> contacts.put(r.getString("external_userid"), r.getLong("id")));
        JsonArray events = new JsonArray();
        joins.forEach(m -> add(events, contacts, change, chatName, m, "wecom.group_joined", "join_scene"));
        leaves.forEach(m -> add(events, contacts, change, chatName, m, "wecom.group_left", "quit_scene"));
        return events;
      });
    }

    private static void add(JsonArray events, Map<String, Long> contacts, ChatChange change, String chatName, Moved m,
        String type, String sceneKey) {
      Long contact = "staff".equals(m.memberType()) ? null : contacts.get(m.userid());
      if (contact == null) {
        return;
      }
      JsonObject properties = new JsonObject().put("chat_id", change.chatId());
      if (chatName != null) {
        properties.put("chat_name", chatName);
      }
      if (m.scene() != null) {
        properties.put(sceneKey, m.scene());
      }
      // the member's own join time when the API gave one, never later than the change that reported it
      Instant at = m.at() != null && m.at().isBefore(change.at()) ? m.at() : change.at();
      events.add(new JsonObject()
          .put("id", "wecom:" + change.callbackId() + ":" + m.userid())
          .put("type", type)
          .put("contact_id", contact)
          .put("occurred_at", at.toString())
          .put("source", "wecom")
          .put("properties", properties));
    }
  }
}
