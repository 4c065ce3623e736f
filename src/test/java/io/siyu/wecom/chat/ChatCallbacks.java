package io.siyu.wecom.chat;

import io.siyu.wecom.callback.WecomCallback;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code change_external_chat} callbacks as WeCom sends them (decrypted), read by
 * {@link WecomCallback#parse}, with the inbox ids the inbox would give them.
 */
final class ChatCallbacks {
  /** Inbox ids unique across the test run: the shared database keeps every test's change log. */
  private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);

  private ChatCallbacks() {}

  static String chatId() {
    return "wr" + UUID.randomUUID().toString().replace("-", "");
  }

  static WecomCallback create(String chatId, Instant at) {
    return stored(xml(chatId, "create", at, ""));
  }

  static WecomCallback dismiss(String chatId, Instant at) {
    return stored(xml(chatId, "dismiss", at, ""));
  }

  /** An update without member changes: change_owner, change_name or change_notice. */
  static WecomCallback update(String chatId, String detail, Instant at) {
    return stored(xml(chatId, "update", at, "<UpdateDetail><![CDATA[" + detail + "]]></UpdateDetail>"));
  }

  /** add_member with JoinScene 0 (invited by a member) or del_member with QuitScene 1 (removed). */
  static WecomCallback members(String chatId, boolean join, List<String> userids, String lastVersion, String version,
      Instant at) {
    StringBuilder items = new StringBuilder();
    userids.forEach(u -> items.append("<Item><![CDATA[").append(u).append("]]></Item>"));
    String body = "<UpdateDetail><![CDATA[" + (join ? "add_member" : "del_member") + "]]></UpdateDetail>"
        + (join ? "<JoinScene>0</JoinScene>" : "<QuitScene>1</QuitScene>")
        + "<MemChangeCnt>" + userids.size() + "</MemChangeCnt>"
        + "<MemChangeList>" + items + "</MemChangeList>"
        + "<LastMemVer><![CDATA[" + lastVersion + "]]></LastMemVer><CurMemVer><![CDATA[" + version + "]]></CurMemVer>";
    return stored(xml(chatId, "update", at, body));
  }

  /** The same callback under another inbox id, as when WeCom delivers a message twice. */
  static WecomCallback again(WecomCallback callback) {
    return new WecomCallback(ids.incrementAndGet(), callback.event(), callback.changeType(), callback.fields(),
        callback.receivedAt());
  }

  static WecomCallback stored(String xml) {
    WecomCallback parsed = WecomCallback.parse(xml);
    return new WecomCallback(ids.incrementAndGet(), parsed.event(), parsed.changeType(), parsed.fields(),
        parsed.receivedAt());
  }

  private static String xml(String chatId, String changeType, Instant at, String rest) {
    return "<xml><ToUserName><![CDATA[ww-fake-corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + "<CreateTime>" + at.getEpochSecond() + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[" + chatId + "]]></ChatId>"
        + "<ChangeType><![CDATA[" + changeType + "]]></ChangeType>" + rest + "</xml>";
  }
}
