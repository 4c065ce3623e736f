package io.siyu.wechatoa;

import io.siyu.problem.Problem;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One message the Official Account platform pushed, as far as Siyu reads it.
 *
 * @param openid {@code FromUserName}: the follower's openid under this Official Account
 * @param account {@code ToUserName}: the Official Account's own id ({@code gh_…})
 * @param createTime {@code CreateTime}, epoch seconds; with the openid and the event it names the
 *     message, and WeChat sends the same values again when it retries
 * @param eventKey {@code EventKey}: for a subscription through a parametric QR code,
 *     {@code qrscene_} and the code's scene
 */
record WechatOaMessage(String msgType, String event, String openid, String account, long createTime,
    String eventKey) {
  static final String SUBSCRIBE = "subscribe";
  static final String UNSUBSCRIBE = "unsubscribe";
  private static final String QR_SCENE = "qrscene_";
  /** 9999-12-31T23:59:59Z: anything later is no time at all. */
  private static final long LAST_SECOND = 253_402_300_799L;

  /**
   * Reads the XML body with DTDs refused and a size limit (the WeCom callbacks' parser).
   *
   * @throws Problem 400 when it is not a well-formed message naming its type, sender and time
   */
  static WechatOaMessage parse(String xml) {
    JsonObject f;
    try {
      f = WecomCallback.elements(xml);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("The body is not a WeChat message: " + e.getMessage());
    }
    String msgType = text(f, "MsgType");
    String openid = text(f, "FromUserName");
    String createTime = text(f, "CreateTime");
    if (msgType == null || openid == null || createTime == null) {
      throw Problem.badRequest("A WeChat message names its MsgType, FromUserName and CreateTime");
    }
    long at;
    try {
      at = Long.parseLong(createTime.trim());
    } catch (NumberFormatException e) {
      at = -1;
    }
    if (at < 0 || at > LAST_SECOND) {
      throw Problem.badRequest("CreateTime must be epoch seconds");
    }
    return new WechatOaMessage(msgType, text(f, "Event"), openid, text(f, "ToUserName"), at, text(f, "EventKey"));
  }

  /** A follow or an unfollow: the only messages Siyu records; others are acknowledged and dropped. */
  boolean isSubscription() {
    return "event".equals(msgType) && (SUBSCRIBE.equals(event) || UNSUBSCRIBE.equals(event));
  }

  boolean subscribes() {
    return SUBSCRIBE.equals(event);
  }

  /** The scene of the parametric QR code the follower scanned, or null. */
  String scene() {
    return subscribes() && eventKey != null && eventKey.startsWith(QR_SCENE) && eventKey.length() > QR_SCENE.length()
        ? eventKey.substring(QR_SCENE.length()) : null;
  }

  /** Stable across WeChat's retries of this message, so the event pipeline stores it once. */
  String eventId() {
    return "wechat-oa:" + openid + ":" + createTime + ":" + event;
  }

  Instant at() {
    return Instant.ofEpochSecond(createTime);
  }

  private static String text(JsonObject fields, String name) {
    return fields.getValue(name) instanceof String s && !s.isBlank() ? s : null;
  }
}
