package io.siyu.wecom.chat;

import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code change_external_chat} callback, read: the chat, what happened to it and, for members
 * joining or leaving, who. WeCom's callback says nothing more: a new owner, name or notice is only
 * in {@code externalcontact/groupchat/get}.
 *
 * @param change {@code create}, {@code dismiss}, or for an update its {@code UpdateDetail}
 *     ({@code add_member}, {@code del_member}, {@code change_owner}, {@code change_name},
 *     {@code change_notice})
 * @param memberIds the {@code MemChangeList} userids (add_member and del_member only)
 * @param currentVersion {@code CurMemVer}, the member version after this change, or null
 * @param at WeCom's {@code CreateTime}, or when Siyu received the callback
 */
record ChatChange(long callbackId, String chatId, String change, List<String> memberIds, String joinScene,
    String quitScene, String currentVersion, Instant at) {

  static final String EVENT = "change_external_chat";
  static final String CREATE = "create";
  static final String DISMISS = "dismiss";
  static final String ADD_MEMBER = "add_member";
  static final String DEL_MEMBER = "del_member";
  private static final Set<String> CHANGE_TYPES = Set.of(CREATE, "update", DISMISS);

  /** @throws IllegalArgumentException when the callback is not a change of a chat this class can read */
  static ChatChange of(WecomCallback callback) {
    String chatId = callback.field("ChatId");
    if (chatId == null || chatId.isBlank() || chatId.length() > 200) {
      throw new IllegalArgumentException(EVENT + " without a ChatId");
    }
    String type = callback.changeType();
    if (!CHANGE_TYPES.contains(type)) {
      throw new IllegalArgumentException(EVENT + " with ChangeType " + type + " (expected create, update or dismiss)");
    }
    String change = "update".equals(type) ? detail(callback) : type;
    boolean members = ADD_MEMBER.equals(change) || DEL_MEMBER.equals(change);
    return new ChatChange(callback.id(), chatId, change, members ? items(callback.fields().getValue("MemChangeList")) : List.of(),
        ADD_MEMBER.equals(change) ? callbackJoinScene(callback.field("JoinScene")) : null,
        DEL_MEMBER.equals(change) ? quitScene(callback.field("QuitScene")) : null,
        blankToNull(callback.field("CurMemVer")), createTime(callback));
  }

  boolean dismisses() {
    return DISMISS.equals(change);
  }

  boolean creates() {
    return CREATE.equals(change);
  }

  boolean adds() {
    return ADD_MEMBER.equals(change);
  }

  boolean removes() {
    return DEL_MEMBER.equals(change);
  }

  private static String detail(WecomCallback callback) {
    String detail = callback.field("UpdateDetail");
    return detail == null || detail.isBlank() ? "update" : detail;
  }

  /** {@code <MemChangeList><Item>a</Item><Item>b</Item></MemChangeList>}: one Item is an object's string, several an array. */
  private static List<String> items(Object list) {
    Set<String> ids = new LinkedHashSet<>();
    if (list instanceof JsonObject o) {
      Object items = o.getValue("Item");
      if (items instanceof JsonArray a) {
        a.forEach(v -> add(ids, v));
      } else {
        add(ids, items);
      }
    }
    return new ArrayList<>(ids);
  }

  private static void add(Set<String> ids, Object v) {
    if (v instanceof String s && !s.isBlank()) {
      ids.add(s.strip());
    }
  }

  /** The callback's JoinScene: 0 by a member (directly or through an invite link), 3 by the chat's QR code. */
  private static String callbackJoinScene(String code) {
    return code == null ? null : switch (code.strip()) {
      case "0" -> "invited";
      case "3" -> "qr_code";
      default -> "scene_" + code.strip();
    };
  }

  /** QuitScene: 0 left on their own, 1 removed by the owner or an admin. */
  private static String quitScene(String code) {
    return code == null ? null : switch (code.strip()) {
      case "0" -> "self";
      case "1" -> "removed";
      default -> "scene_" + code.strip();
    };
  }

  private static Instant createTime(WecomCallback callback) {
    String s = callback.field("CreateTime");
    try {
      return s == null ? callback.receivedAt() : Instant.ofEpochSecond(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return callback.receivedAt();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
