package io.siyu.wecom.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A text to staff members (成员) from Siyu's self-built app, through {@code message/send}.
 *
 * @param userIds staff userids, at most 1,000
 */
public record StaffNotification(List<String> userIds, String text) {
  static final int MAX_RECIPIENTS = 1000;
  /**
   * WeCom drops a request whose JSON equals one it took within this many seconds (its
   * {@code enable_duplicate_check}): the nearest thing message/send has to an idempotency key, so a
   * retried touch whose first answer was lost is not shown twice.
   */
  static final int DUPLICATE_CHECK_SECONDS = 1800;

  public StaffNotification {
    userIds = List.copyOf(userIds);
    if (userIds.isEmpty() || userIds.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("a staff notification goes to 1 to " + MAX_RECIPIENTS + " userids, got "
          + userIds.size());
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a staff notification needs a text");
    }
  }

  JsonObject request(int agentId) {
    return new JsonObject().put("touser", String.join("|", userIds)).put("msgtype", "text").put("agentid", agentId)
        .put("text", new JsonObject().put("content", text))
        .put("enable_duplicate_check", 1).put("duplicate_check_interval", DUPLICATE_CHECK_SECONDS);
  }
}
