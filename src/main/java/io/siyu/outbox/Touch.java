package io.siyu.outbox;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** A touch as a channel sees it when sending; {@code attempt} counts from 1. */
public record Touch(long id, String touchKey, long contactId, String journeyKey, String processInstanceId,
    String activityId, String channel, String templateKey, JsonObject payload, int attempt) {

  static Touch of(Row r) {
    return new Touch(r.getLong("id"), r.getString("touch_key"), r.getLong("contact_id"), r.getString("journey_key"),
        r.getString("process_instance_id"), r.getString("activity_id"), r.getString("channel"),
        r.getString("template_key"), r.getJsonObject("payload"), r.getInteger("attempts"));
  }
}
