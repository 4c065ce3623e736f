package io.siyu.wecom.api;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The welcome message (欢迎语) for a customer who just added a staff member, through
 * {@code externalcontact/send_welcome_msg}. WeCom hands out the {@code welcomeCode} with the add
 * event and accepts it once, within 20 seconds of the event: so this send must not wait behind the
 * queue, and once the code is spent or old every failure is final.
 *
 * @param codeReceivedAt when WeCom sent the add event that carried the code
 */
public record WelcomeMessage(String welcomeCode, Instant codeReceivedAt, WecomContent content) {
  /** How long WeCom accepts a welcome code after its add event. */
  public static final Duration CODE_VALIDITY = Duration.ofSeconds(20);

  public WelcomeMessage {
    if (welcomeCode == null || welcomeCode.isBlank()) {
      throw new IllegalArgumentException("a welcome message needs the welcome code of the add event");
    }
    if (codeReceivedAt == null) {
      throw new IllegalArgumentException("a welcome message needs the time its welcome code was received");
    }
    if (content == null) {
      throw new IllegalArgumentException("a welcome message needs content");
    }
  }

  boolean codeExpired(Instant now) {
    return !now.isBefore(codeReceivedAt.plus(CODE_VALIDITY));
  }

  JsonObject request() {
    return content.writeTo(new JsonObject().put("welcome_code", welcomeCode));
  }
}
