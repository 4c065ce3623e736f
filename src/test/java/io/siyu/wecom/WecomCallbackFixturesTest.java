package io.siyu.wecom;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.wecom.callback.WecomCallbacks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every callback type Siyu handles, end to end as WeCom sends it: encrypted, signed, posted to
 * {@code /webhooks/wecom} twice (WeCom's retry re-encrypts the same message), stored once, handed
 * to its handler once, and turned into contacts, relations, member events, group chats and tags.
 * The WeCom API the handlers read is the loopback fake.
 */
class WecomCallbackFixturesTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(WecomCallbacks.env(wecom.env()),
      Map.of("SIYU_WECOM_CALLBACK_POLL_MS", "50"));

  private static final WecomCallbacks callbacks = new WecomCallbacks(FakeWecom.CORP_ID);

  /** Posts the message twice, as WeCom's retry does; both answered {@code success}. */
  private static void postTwice(String message) {
    for (int i = 0; i < 2; i++) {
      Api.Reply r = callbacks.post(server.api(), message);
      assertEquals(200, r.status(), r.toString());
      assertEquals("success", r.body());
    }
  }

  /** Waits until the callbacks of {@code event} naming {@code marker} number {@code count} and are all done. */
  private static List<JsonObject> awaitDone(String event, String marker, int count) {
    List<JsonObject> mine = List.of();
    for (int i = 0; i < 600; i++) {
      mine = WecomCallbacks.stored(server.api(), event).stream()
          .filter(c -> c.encode().contains(marker)).toList();
      if (mine.size() == count && mine.stream().allMatch(c -> "done".equals(c.getString("status")))) {
        return mine;
      }
      assertTrue(mine.size() <= count, "stored more than once: " + mine);
      Eventually.sleep(50);
    }
    throw new AssertionError("expected " + count + " done callbacks of " + event + " for " + marker + ": " + mine);
  }

  private static long contactId(String externalUserid) {
    JsonArray found = server.api().get("/api/v1/contacts?external_userid=" + externalUserid).items();
    assertEquals(1, found.size(), "one contact for " + externalUserid);
    return found.getJsonObject(0).getLong("id");
  }

  private static List<String> eventTypes(long contactId) {
    List<String> types = new ArrayList<>();
    server.api().get("/api/v1/events?contact_id=" + contactId + "&limit=500").items()
        .forEach(e -> types.add(((JsonObject) e).getString("type")));
    return types;
  }

  private static long count(List<String> types, String type) {
    return types.stream().filter(type::equals).count();
  }

  @Test
  void everyCustomerChangeIsHandledOnceAndBecomesItsEvent() {
    String staff = "staff" + unique();
    String kept = "wm" + unique();
    String half = "wm" + unique();
    wecom.directory().customer(kept, "林小满", 2, null, staff, "老客");
    wecom.directory().customer(half, "周一", 1, null, staff, null);

    postTwice(WecomCallbacks.event("change_external_contact", "add_external_contact",
        fields("UserID", staff, "ExternalUserID", kept, "WelcomeCode", "WC" + unique())));
    postTwice(WecomCallbacks.event("change_external_contact", "edit_external_contact",
        fields("UserID", staff, "ExternalUserID", kept)));
    postTwice(WecomCallbacks.event("change_external_contact", "add_half_external_contact",
        fields("UserID", staff, "ExternalUserID", half)));
    postTwice(WecomCallbacks.event("change_external_contact", "transfer_fail",
        fields("UserID", staff, "ExternalUserID", half, "FailReason", "customer_refused")));
    postTwice(WecomCallbacks.event("change_external_contact", "del_external_contact",
        fields("UserID", staff, "ExternalUserID", half, "Source", "DELETE_BY_TRANSFER")));
    postTwice(WecomCallbacks.event("change_external_contact", "del_follow_user",
        fields("UserID", staff, "ExternalUserID", kept)));
    awaitDone("change_external_contact", staff, 6);

    long customer = contactId(kept);
    assertEquals("林小满", server.api().get("/api/v1/contacts/" + customer).json().getString("name"),
        "the profile was read from externalcontact/get");
    List<String> types = eventTypes(customer);
    assertEquals(1, count(types, "wecom.contact_added"), types.toString());
    assertEquals(1, count(types, "wecom.contact_edited"), types.toString());
    assertEquals(1, count(types, "wecom.contact_lost"), "the churn alert, once: " + types);

    List<String> halfTypes = eventTypes(contactId(half));
    assertEquals(1, count(halfTypes, "wecom.contact_half_added"), halfTypes.toString());
    assertEquals(1, count(halfTypes, "wecom.transfer_failed"), halfTypes.toString());
    assertEquals(1, count(halfTypes, "wecom.contact_deleted"), halfTypes.toString());
  }

  @Test
  void aGroupChatIsMirroredFromItsCallbacksOnce() {
    String chatId = "wr" + unique();
    String owner = "staff" + unique();
    String member = "wm" + unique();
    long contact = server.api().post("/api/v1/contacts", new JsonObject().put("external_userid", member)).json().getLong("id");
    long now = Instant.now().getEpochSecond();
    JsonObject chat = new JsonObject().put("chat_id", chatId).put("name", "会员群").put("owner", owner)
        .put("create_time", now).put("notice", "").put("admin_list", new JsonArray()).put("member_version", "v1")
        .put("member_list", new JsonArray().add(new JsonObject().put("userid", owner).put("type", 1)
            .put("join_time", now).put("join_scene", 1)));
    wecom.directory().groupChat(chat);
    postTwice(WecomCallbacks.event("change_external_chat", "create", fields("ChatId", chatId)));
    awaitDone("change_external_chat", chatId, 1);

    chat.put("member_version", "v2").getJsonArray("member_list").add(new JsonObject().put("userid", member)
        .put("type", 2).put("join_time", now).put("join_scene", 3));
    postTwice(WecomCallbacks.event("change_external_chat", "update", fields("ChatId", chatId,
        "UpdateDetail", "add_member", "JoinScene", "3", "MemChangeCnt", "1", "LastMemVer", "v1", "CurMemVer", "v2"))
        .replace("</xml>", "<MemChangeList><Item><![CDATA[" + member + "]]></Item></MemChangeList></xml>"));
    awaitDone("change_external_chat", chatId, 2);
    JsonObject shown = server.api().get("/api/v1/group-chats/" + chatId).json();
    assertEquals("会员群", shown.getString("name"));
    assertTrue(shown.getJsonObject("members").getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(m -> member.equals(m.getString("userid"))), shown.encode());
    assertEquals(1, count(eventTypes(contact), "wecom.group_joined"), "joined once");

    postTwice(WecomCallbacks.event("change_external_chat", "dismiss", fields("ChatId", chatId)));
    awaitDone("change_external_chat", chatId, 3);
    assertEquals("dismissed", server.api().get("/api/v1/group-chats/" + chatId).json().getString("status"));
  }

  @Test
  void corpTagsAreMirroredAndDeletedOnce() {
    String groupId = "et" + unique();
    String tagId = "et" + unique();
    String name = "标签" + unique();
    wecom.corpTags().group(groupId, "组" + unique(), 1);
    wecom.corpTags().tag(groupId, tagId, name, 1);
    postTwice(WecomCallbacks.event("change_external_tag", "create", fields("Id", tagId, "TagType", "tag")));
    awaitDone("change_external_tag", tagId, 1);
    JsonObject mirrored = tagNamed(name);
    assertNotNull(mirrored, "the WeCom tag is a Siyu tag now");

    wecom.corpTags().deleteTag(groupId, tagId);
    postTwice(WecomCallbacks.event("change_external_tag", "delete", fields("Id", tagId, "TagType", "tag")));
    awaitDone("change_external_tag", tagId, 2);
    assertEquals(null, tagNamed(name), "deleted with WeCom's");
  }

  private static JsonObject tagNamed(String name) {
    return server.api().get("/api/v1/tags?limit=500").items().stream().map(JsonObject.class::cast)
        .filter(t -> name.equals(t.getString("name"))).findFirst().orElse(null);
  }

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
