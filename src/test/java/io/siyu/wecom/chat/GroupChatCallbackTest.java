package io.siyu.wecom.chat;

import static io.siyu.support.Await.result;
import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code change_external_chat} without the WeCom API (the shared server has no WeCom settings): the
 * callback's own joins and leaves are applied, in the order they happened, once per callback; known
 * external contacts get member events; a contact made later is linked when read.
 */
class GroupChatCallbackTest {
  private static final Api api = TestSiyu.admin();
  private static final GroupChatCallbacks handler = TestSiyu.get().services().groupChatCallbacks();

  private static void handle(WecomCallback callback) {
    result(handler.handle(callback));
  }

  private static long contact(String externalUserid) {
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("external_userid", externalUserid));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static String userid() {
    return "wm" + unique();
  }

  private static JsonObject chat(String chatId, String memberStatus) {
    Reply r = api.get("/api/v1/group-chats/" + chatId + "?member_status=" + memberStatus);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  private static JsonObject member(JsonObject chat, String userid) {
    return chat.getJsonObject("members").getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(m -> userid.equals(m.getString("userid"))).findFirst().orElse(null);
  }

  private static JsonArray events(long contactId) {
    return api.get("/api/v1/contacts/" + contactId + "/events").items();
  }

  @Test
  void joinsAndLeavesFromTheCallbackMoveMembersAndSendEventsForKnownContacts() {
    String chatId = ChatCallbacks.chatId();
    String known = userid();
    String stranger = userid();
    long contact = contact(known);
    Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    handle(ChatCallbacks.create(chatId, t0));
    JsonObject created = chat(chatId, "all");
    assertEquals("active", created.getString("status"));
    assertEquals(t0.toString(), created.getString("created_at"));
    assertEquals(0, created.getInteger("member_count"));
    assertNull(created.getString("name"), "the callback carries no name");

    handle(ChatCallbacks.members(chatId, true, List.of(known, stranger), "v0", "v1", t0.plusSeconds(60)));
    JsonObject joined = chat(chatId, "active");
    assertEquals(2, joined.getInteger("member_count"));
    assertEquals("v1", joined.getString("member_version"));
    JsonObject m = member(joined, known);
    assertEquals(contact, m.getLong("contact_id"));
    assertEquals("external", m.getString("type"), "a contact's external_userid is an external member");
    assertEquals("invited", m.getString("join_scene"));
    assertEquals(t0.plusSeconds(60).toString(), m.getString("joined_at"));
    assertNull(member(joined, stranger).getValue("contact_id"));
    assertNull(member(joined, stranger).getValue("type"), "the callback does not say what kind of member this is");

    JsonArray afterJoin = events(contact);
    assertEquals(1, afterJoin.size(), afterJoin.encode());
    JsonObject event = afterJoin.getJsonObject(0);
    assertEquals("wecom.group_joined", event.getString("type"));
    assertEquals(chatId, event.getJsonObject("properties").getString("chat_id"));
    assertEquals("invited", event.getJsonObject("properties").getString("join_scene"));
    assertTrue(event.getString("id").startsWith("wecom:"), event.encode());

    handle(ChatCallbacks.members(chatId, false, List.of(known), "v1", "v2", t0.plusSeconds(120)));
    JsonObject left = chat(chatId, "left");
    assertEquals(1, left.getInteger("member_count"));
    assertEquals("removed", member(left, known).getString("quit_scene"));
    assertEquals(t0.plusSeconds(120).toString(), member(left, known).getString("left_at"));
    assertNull(member(chat(chatId, "active"), known), "a member who left is not among the active ones");
    assertEquals(List.of("wecom.group_joined", "wecom.group_left"), events(contact).stream()
        .map(e -> ((JsonObject) e).getString("type")).sorted().toList());

    handle(ChatCallbacks.dismiss(chatId, t0.plusSeconds(180)));
    JsonObject dismissed = chat(chatId, "all");
    assertEquals("dismissed", dismissed.getString("status"));
    assertEquals(t0.plusSeconds(180).toString(), dismissed.getString("dismissed_at"));
  }

  @Test
  void theSameCallbackTwiceChangesNothingTheSecondTime() {
    String chatId = ChatCallbacks.chatId();
    String userid = userid();
    long contact = contact(userid);
    Instant t0 = Instant.now().minus(5, ChronoUnit.MINUTES);
    handle(ChatCallbacks.create(chatId, t0));
    WecomCallback join = ChatCallbacks.members(chatId, true, List.of(userid), "v0", "v1", t0.plusSeconds(10));
    handle(join);
    handle(ChatCallbacks.members(chatId, false, List.of(userid), "v1", "v2", t0.plusSeconds(20)));

    // the inbox retries the join (same id), and WeCom delivers it again (another id, same member version)
    handle(join);
    JsonObject stats = api.get("/api/v1/group-chats/" + chatId + "/stats").json();
    handle(ChatCallbacks.again(join));

    assertNull(member(chat(chatId, "active"), userid), "the replayed join did not bring the member back");
    assertEquals(0, chat(chatId, "all").getInteger("member_count"));
    assertEquals(2, events(contact).size(), "one join and one leave: " + events(contact).encode());
    JsonObject statsAfter = api.get("/api/v1/group-chats/" + chatId + "/stats").json();
    assertEquals(stats, statsAfter, "the replays changed no statistic");
    int joins = statsAfter.getJsonArray("days").stream().mapToInt(d -> ((JsonObject) d).getInteger("joins")).sum();
    assertEquals(1, joins);
  }

  @Test
  void aLeaveThatArrivesBeforeTheJoinItFollowsKeepsTheMemberOut() {
    String chatId = ChatCallbacks.chatId();
    String userid = userid();
    Instant t0 = Instant.now().minus(5, ChronoUnit.MINUTES);
    WecomCallback join = ChatCallbacks.members(chatId, true, List.of(userid), "v0", "v1", t0);
    WecomCallback leave = ChatCallbacks.members(chatId, false, List.of(userid), "v1", "v2", t0.plusSeconds(30));
    handle(leave);
    handle(join);
    JsonObject chat = chat(chatId, "all");
    assertEquals(0, chat.getInteger("member_count"));
    assertNotNull(member(chat, userid).getString("left_at"));

    // and a later join (a real rejoin) does bring the member back
    handle(ChatCallbacks.members(chatId, true, List.of(userid), "v2", "v3", t0.plusSeconds(60)));
    assertEquals(1, chat(chatId, "all").getInteger("member_count"));
    assertNull(member(chat(chatId, "active"), userid).getValue("left_at"));
  }

  @Test
  void aMemberIsLinkedToAContactMadeAfterItJoined() {
    String chatId = ChatCallbacks.chatId();
    String userid = userid();
    handle(ChatCallbacks.members(chatId, true, List.of(userid), "v0", "v1", Instant.now().minusSeconds(30)));
    assertNull(member(chat(chatId, "active"), userid).getValue("contact_id"));

    long contact = contact(userid);
    assertEquals(contact, member(chat(chatId, "active"), userid).getLong("contact_id"));
    JsonArray chats = api.get("/api/v1/group-chats?contact_id=" + contact).items();
    assertEquals(List.of(chatId), chats.stream().map(c -> ((JsonObject) c).getString("chat_id")).toList());
  }

  @Test
  void changesTheCallbackCannotDescribeAreLoggedAndChangeNoMember() {
    String chatId = ChatCallbacks.chatId();
    String userid = userid();
    Instant t0 = Instant.now().minus(5, ChronoUnit.MINUTES);
    handle(ChatCallbacks.members(chatId, true, List.of(userid), "v0", "v1", t0));
    handle(ChatCallbacks.update(chatId, "change_owner", t0.plusSeconds(1)));
    handle(ChatCallbacks.update(chatId, "change_name", t0.plusSeconds(2)));
    JsonObject chat = chat(chatId, "active");
    assertEquals(1, chat.getInteger("member_count"));
    assertNull(chat.getString("owner"), "the new owner is only in groupchat/get");
    assertNull(chat.getString("name"));
  }

  @Test
  void aCallbackWithoutAChatIdFails() {
    WecomCallback bad = ChatCallbacks.stored("<xml><Event>change_external_chat</Event><ChangeType>create</ChangeType>"
        + "<CreateTime>1700000000</CreateTime></xml>");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> handle(bad));
    assertTrue(e.getMessage().contains("ChatId"), e.getMessage());
  }
}
