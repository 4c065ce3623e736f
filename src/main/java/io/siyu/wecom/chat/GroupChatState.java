package io.siyu.wecom.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat as {@code externalcontact/groupchat/get} describes it (with {@code need_name} 1): the whole
 * member list, so Siyu can set its own copy to match.
 */
record GroupChatState(String chatId, String name, String owner, String notice, Instant createdAt,
    String memberVersion, List<Member> members) {

  /** {@code type} 1 is a staff member of the corp, 2 an external contact. */
  record Member(String userid, String type, String unionid, String name, String groupNickname, Instant joinedAt,
      String joinScene, String invitor) {}

  static GroupChatState of(JsonObject chat) {
    Map<String, Member> members = new LinkedHashMap<>();
    for (Object o : chat.getJsonArray("member_list", new JsonArray())) {
      if (o instanceof JsonObject m && m.getValue("userid") instanceof String userid && !userid.isBlank()) {
        JsonObject invitor = m.getValue("invitor") instanceof JsonObject i ? i : new JsonObject();
        members.put(userid, new Member(userid, memberType(m.getValue("type")), text(m, "unionid"), text(m, "name"),
            text(m, "group_nickname"), seconds(m.getValue("join_time")), joinScene(m.getValue("join_scene")),
            text(invitor, "userid")));
      }
    }
    return new GroupChatState(chat.getString("chat_id"), text(chat, "name"), text(chat, "owner"), text(chat, "notice"),
        seconds(chat.getValue("create_time")), text(chat, "member_version"), new ArrayList<>(members.values()));
  }

  private static String memberType(Object code) {
    return code instanceof Number n ? switch (n.intValue()) {
      case 1 -> "staff";
      case 2 -> "external";
      default -> null;
    } : null;
  }

  /** The API's join_scene: 1 invited directly by a member, 2 through an invite link, 3 by the chat's QR code. */
  private static String joinScene(Object code) {
    return code instanceof Number n ? switch (n.intValue()) {
      case 1 -> "invited";
      case 2 -> "invite_link";
      case 3 -> "qr_code";
      default -> "scene_" + n.intValue();
    } : null;
  }

  private static Instant seconds(Object v) {
    return v instanceof Number n && n.longValue() > 0 ? Instant.ofEpochSecond(n.longValue()) : null;
  }

  private static String text(JsonObject o, String key) {
    return o.getValue(key) instanceof String s && !s.isEmpty() ? s : null;
  }
}
