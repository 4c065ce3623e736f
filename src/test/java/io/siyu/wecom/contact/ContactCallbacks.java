package io.siyu.wecom.contact;

import io.siyu.app.Siyu;
import io.siyu.support.Await;
import io.siyu.support.FakeWecom;
import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.callback.WecomCallbacks;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code change_external_contact} callbacks as WeCom sends them (decrypted XML, parsed with
 * {@link WecomCallback#parse}) with ids as the callback inbox gives them, handed to the server's
 * handler. The customers' profiles are the loopback WeCom's ({@code FakeWecom.directory()}).
 */
public final class ContactCallbacks {
  /** Inbox ids unique within a test run, whichever server's database the callback goes to. */
  private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);

  private ContactCallbacks() {}

  /** A callback of {@code changeType} with these further elements (UserID, ExternalUserID, State, ...). */
  public static WecomCallback callback(String changeType, Map<String, String> fields) {
    WecomCallback parsed = WecomCallback.parse(WecomCallbacks.event(ContactChange.EVENT, changeType, fields));
    return new WecomCallback(IDS.incrementAndGet(), parsed.event(), parsed.changeType(), parsed.fields(),
        parsed.receivedAt());
  }

  /** {@code add_external_contact}; {@code state} and {@code welcomeCode} may be null. */
  public static WecomCallback add(String staff, String customer, String state, String welcomeCode) {
    Map<String, String> fields = new LinkedHashMap<>(Map.of("UserID", staff, "ExternalUserID", customer));
    if (state != null) {
      fields.put("State", state);
    }
    if (welcomeCode != null) {
      fields.put("WelcomeCode", welcomeCode);
    }
    return callback("add_external_contact", fields);
  }

  public static WecomCallback of(String changeType, String staff, String customer) {
    return callback(changeType, Map.of("UserID", staff, "ExternalUserID", customer));
  }

  /** Hands the callback to the server's {@code change_external_contact} handler and waits for it. */
  public static void handle(Siyu siyu, WecomCallback callback) {
    Await.result(siyu.services().externalContacts().handle(callback));
  }

  /**
   * Hands the callbacks to the handler together, as a claim of the inbox does, and waits for all
   * of them: each one's failure, or null when it was handled.
   */
  public static List<Throwable> handleAll(Siyu siyu, List<WecomCallback> callbacks) {
    List<Future<Void>> outcomes = siyu.services().externalContacts().handleAll(callbacks);
    Await.result(Future.join(outcomes).otherwiseEmpty());
    return outcomes.stream().map(f -> f.failed() ? f.cause() : null).toList();
  }
}
