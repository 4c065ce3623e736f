package io.siyu.outbox;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * A touch as a channel sees it when sending; {@code attempt} counts from 1. {@code channel} is the
 * one it goes out on (the dispatcher may have fallen back from the one asked for), {@code kind}
 * marketing or transactional, {@code content} the rendered message (null until rendered), {@code
 * priority} how urgent it is (2 a WeCom welcome, whose code expires; 1 transactional; 0 marketing).
 */
public record Touch(long id, String touchKey, long contactId, String journeyKey, String processInstanceId,
    String activityId, String channel, String templateKey, JsonObject payload, int attempt, String kind,
    Recipient recipient, Content content, int priority) {

  /** A claimed row: the touch's columns with its contact's (see Dispatcher's claim). */
  static Touch of(Row r) {
    Recipient recipient = new Recipient(r.getString("mobile"), r.getString("email"), r.getString("external_userid"),
        r.getString("owner_staff_id"), r.getString("timezone"), r.getJsonObject("consent"));
    return new Touch(r.getLong("id"), r.getString("touch_key"), r.getLong("contact_id"), r.getString("journey_key"),
        r.getString("process_instance_id"), r.getString("activity_id"), r.getString("channel"),
        r.getString("template_key"), r.getJsonObject("payload"), r.getInteger("attempts"), r.getString("kind"), recipient,
        null, r.getInteger("priority"));
  }

  public boolean marketing() {
    return !"transactional".equals(kind);
  }

  /** The same touch going out on another channel. */
  public Touch on(String otherChannel) {
    return new Touch(id, touchKey, contactId, journeyKey, processInstanceId, activityId, otherChannel, templateKey,
        payload, attempt, kind, recipient, content, priority);
  }

  /** The same touch, rendered. */
  public Touch with(Content rendered) {
    return new Touch(id, touchKey, contactId, journeyKey, processInstanceId, activityId, channel, templateKey,
        payload, attempt, kind, recipient, rendered, priority);
  }
}
