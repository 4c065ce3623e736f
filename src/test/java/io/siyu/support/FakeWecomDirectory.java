package io.siyu.support;

import static io.siyu.support.FakeWecom.error;
import static io.siyu.support.FakeWecom.ok;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * What the loopback WeCom knows and answers reads of: customers ({@code externalcontact/get},
 * 84061 for one it does not know), customer group chats ({@code groupchat/get}, 40050), and the
 * contact ways behind channel QR codes ({@code add_contact_way} checked as WeCom checks it,
 * {@code del_contact_way}, 41044 for one that is gone).
 */
public final class FakeWecomDirectory {
  public static final String EXTERNALCONTACT_GET = "/cgi-bin/externalcontact/get";
  public static final String GROUPCHAT_GET = "/cgi-bin/externalcontact/groupchat/get";
  public static final String ADD_CONTACT_WAY = "/cgi-bin/externalcontact/add_contact_way";
  public static final String DEL_CONTACT_WAY = "/cgi-bin/externalcontact/del_contact_way";

  private final Map<String, JsonObject> customers = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> chats = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> contactWays = new ConcurrentHashMap<>();
  private final AtomicInteger contactWaySerial = new AtomicInteger();

  FakeWecomDirectory(BiConsumer<String, FakeWecom.Answer> routes) {
    routes.accept(EXTERNALCONTACT_GET, (query, body) -> externalContact(query.get("external_userid")));
    routes.accept(GROUPCHAT_GET, (query, body) -> groupChat(body.getString("chat_id", "")));
    routes.accept(ADD_CONTACT_WAY, (query, body) -> addContactWay(body));
    routes.accept(DEL_CONTACT_WAY, (query, body) -> contactWays.remove(body.getString("config_id")) != null
        ? ok() : error(41044, "invalid config_id"));
  }

  /**
   * A customer as {@code externalcontact/get} answers it, followed by {@code staff} with
   * {@code remark}; {@code gender} 1 male, 2 female; {@code unionid} may be null. Again for the same
   * customer replaces the profile.
   */
  public void customer(String externalUserId, String name, int gender, String unionid, String staff, String remark) {
    customers.put(externalUserId, new JsonObject()
        .put("external_contact", new JsonObject().put("external_userid", externalUserId).put("name", name).put("type", 1)
            .put("avatar", "https://wework.qpic.cn/" + externalUserId).put("gender", gender).put("unionid", unionid))
        .put("follow_user", new JsonArray().add(new JsonObject().put("userid", staff).put("remark", remark)
            .put("description", "门店 A").put("createtime", Instant.now().getEpochSecond()).put("add_way", 1)
            .put("tags", new JsonArray()))));
  }

  /**
   * A group chat as {@code groupchat/get} answers it (a {@code group_chat} object with its
   * {@code chat_id}); answered as it is at the time of each call, so a test changes it in place.
   */
  public void groupChat(JsonObject chat) {
    chats.put(chat.getString("chat_id"), chat);
  }

  /** The request that made contact way {@code configId}, while it is not deleted; null otherwise. */
  public JsonObject contactWay(String configId) {
    return contactWays.get(configId);
  }

  private JsonObject externalContact(String externalUserId) {
    JsonObject p = externalUserId == null ? null : customers.get(externalUserId);
    return p == null ? error(84061, "not external contact") : ok()
        .put("external_contact", p.getJsonObject("external_contact"))
        .put("follow_user", p.getJsonArray("follow_user", new JsonArray()));
  }

  private JsonObject groupChat(String chatId) {
    JsonObject chat = chats.get(chatId);
    return chat == null ? error(40050, "invalid chat_id") : ok().put("group_chat", chat.copy());
  }

  /** Scene 2 (a QR code), type 1 (one staff member) or 2 (several), a state of at most 30 characters. */
  private JsonObject addContactWay(JsonObject body) {
    JsonArray users = body.getJsonArray("user", new JsonArray());
    int type = body.getInteger("type", 0);
    String state = body.getString("state", "");
    if (body.getInteger("scene", 0) != 2 || users.isEmpty() || type == 1 && users.size() != 1 || type != 1 && type != 2
        || state.length() > 30) {
      return error(40058, "invalid parameter");
    }
    String id = "cfg-" + contactWaySerial.incrementAndGet();
    contactWays.put(id, body);
    return ok().put("config_id", id).put("qr_code", "https://p.qpic.cn/wwpic/" + id + ".png");
  }
}
