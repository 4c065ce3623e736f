package io.siyu.wecom.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A message to customers (客户) through {@code externalcontact/add_msg_template}: WeCom creates a
 * mass-send task for the {@code sender} staff member, who confirms it in the WeCom app before it
 * reaches the customers; SENT means the task exists, not that anyone has read it.
 *
 * @param sender the staff userid whose customers the recipients are
 * @param externalUserIds the customers' external_userid, at most 10,000
 */
public record CustomerMessage(String sender, List<String> externalUserIds, WecomContent content) {
  static final int MAX_RECIPIENTS = 10_000;

  public CustomerMessage {
    if (sender == null || sender.isBlank()) {
      throw new IllegalArgumentException("a customer message needs the sender's staff userid");
    }
    externalUserIds = List.copyOf(externalUserIds);
    if (externalUserIds.isEmpty() || externalUserIds.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("a customer message goes to 1 to " + MAX_RECIPIENTS
          + " external_userid, got " + externalUserIds.size());
    }
    if (content == null) {
      throw new IllegalArgumentException("a customer message needs content");
    }
  }

  JsonObject request() {
    return content.writeTo(new JsonObject().put("chat_type", "single")
        .put("external_userid", new JsonArray(externalUserIds)).put("sender", sender));
  }
}
