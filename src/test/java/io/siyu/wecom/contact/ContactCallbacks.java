package io.siyu.wecom.contact;

import io.siyu.app.Siyu;
import io.siyu.support.Await;
import io.siyu.wecom.api.FakeWecom;
import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.callback.WecomCallbacks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code change_external_contact} callbacks as WeCom sends them (decrypted XML, parsed with
 * {@link WecomCallback#parse}) with ids as the callback inbox gives them, and what tests do with
 * them: hand them to the server's handler, teach {@link FakeWecom} the customer's profile.
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

  /** Teaches the fake {@code externalcontact/get}: these customers, each followed by {@code follows}. */
  public static void serveProfiles(FakeWecom wecom, Map<String, JsonObject> profiles) {
    wecom.serve(io.siyu.wecom.api.WecomClient.EXTERNALCONTACT_GET, (query, body) -> {
      JsonObject p = profiles.get(query.get("external_userid"));
      return p == null ? FakeWecom.error(84061, "not external contact") : FakeWecom.ok()
          .put("external_contact", p.getJsonObject("external_contact"))
          .put("follow_user", p.getJsonArray("follow_user", new JsonArray()));
    });
  }

  /** A profile as externalcontact/get answers it. */
  public static JsonObject profile(String customer, String name, int gender, String unionid, String staff, String remark) {
    return new JsonObject()
        .put("external_contact", new JsonObject().put("external_userid", customer).put("name", name).put("type", 1)
            .put("avatar", "https://wework.qpic.cn/" + customer).put("gender", gender).put("unionid", unionid))
        .put("follow_user", new JsonArray().add(new JsonObject().put("userid", staff).put("remark", remark)
            .put("description", "门店 A").put("createtime", Instant.now().getEpochSecond()).put("add_way", 1)
            .put("tags", new JsonArray())));
  }
}
