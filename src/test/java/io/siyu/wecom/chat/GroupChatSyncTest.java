package io.siyu.wecom.chat;

import static io.siyu.support.Await.result;
import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.FakeWecom;
import io.siyu.support.FakeWecomDirectory;
import io.siyu.support.OwnServer;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code change_external_chat} with the WeCom API configured: every create and update reads the chat
 * from {@code groupchat/get} (a loopback WeCom) and sets Siyu's copy to match it; what WeCom will
 * not show falls back to the callback; a transient error fails the callback for a later retry. Then
 * the read API: list filters and paging, a chat with its members, statistics by day, and 422s.
 */
class GroupChatSyncTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env());

  private static void handle(WecomCallback callback) {
    result(server.siyu().services().groupChatCallbacks().handle(callback));
  }

  private static long contact(String externalUserid) {
    Reply r = server.api().post("/api/v1/contacts", new JsonObject().put("external_userid", externalUserid));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  /** A member as groupchat/get lists it: type 1 staff, 2 external; join_scene 1 invited, 2 link, 3 QR code. */
  private static JsonObject member(String userid, int type, Instant joined, int scene, String invitor) {
    JsonObject m = new JsonObject().put("userid", userid).put("type", type).put("join_time", joined.getEpochSecond())
        .put("join_scene", scene).put("name", "name of " + userid).put("group_nickname", "nick " + userid);
    return invitor == null ? m : m.put("invitor", new JsonObject().put("userid", invitor));
  }

  private static JsonObject state(String chatId, String name, String owner, Instant created, JsonObject... members) {
    JsonObject chat = new JsonObject().put("chat_id", chatId).put("name", name).put("owner", owner)
        .put("create_time", created.getEpochSecond()).put("notice", "群公告：每周五会员日")
        .put("member_list", new JsonArray(List.of((Object[]) members))).put("admin_list", new JsonArray())
        .put("member_version", "ver-" + unique());
    wecom.directory().groupChat(chat);
    return chat;
  }

  private static JsonObject chat(String chatId, String memberStatus) {
    Reply r = server.api().get("/api/v1/group-chats/" + chatId + "?member_status=" + memberStatus + "&limit=500");
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  private static JsonObject memberOf(JsonObject chat, String userid) {
    return chat.getJsonObject("members").getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(m -> userid.equals(m.getString("userid"))).findFirst().orElse(null);
  }

  private static List<String> eventTypes(long contactId) {
    return server.api().get("/api/v1/contacts/" + contactId + "/events").items().stream()
        .map(e -> ((JsonObject) e).getString("type")).sorted().toList();
  }

  private static int fetchesOf(String chatId) {
    return (int) wecom.requests(FakeWecomDirectory.GROUPCHAT_GET).stream().filter(r -> chatId.equals(r.body().getString("chat_id"))).count();
  }

  @Test
  void everyCreateAndUpdateSetsTheChatToWhatWeComShows() {
    String u = unique();
    String chatId = ChatCallbacks.chatId();
    String customer = "wmA" + u;
    String stranger = "wmB" + u;
    String newcomer = "wmC" + u;
    long customerId = contact(customer);
    long newcomerId = contact(newcomer);
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    JsonObject owner = member("zhangsan", 1, t0, 1, null);
    JsonObject a = member(customer, 2, t0.plusSeconds(5), 1, "zhangsan");
    JsonObject b = member(stranger, 2, t0.plusSeconds(6), 3, null);
    state(chatId, "会员福利群", "zhangsan", t0, owner, a, b);

    handle(ChatCallbacks.create(chatId, t0.plusSeconds(10)));
    JsonObject created = chat(chatId, "active");
    assertEquals("会员福利群", created.getString("name"));
    assertEquals("zhangsan", created.getString("owner"));
    assertEquals("群公告：每周五会员日", created.getString("notice"));
    assertEquals(t0.toString(), created.getString("created_at"));
    assertEquals(3, created.getInteger("member_count"));
    assertEquals("staff", memberOf(created, "zhangsan").getString("type"));
    assertNull(memberOf(created, "zhangsan").getValue("contact_id"), "staff are never contacts");
    JsonObject ma = memberOf(created, customer);
    assertEquals("external", ma.getString("type"));
    assertEquals(customerId, ma.getLong("contact_id"));
    assertEquals("invited", ma.getString("join_scene"));
    assertEquals("zhangsan", ma.getString("invitor"));
    assertEquals("nick " + customer, ma.getString("group_nickname"));
    assertEquals(t0.plusSeconds(5).toString(), ma.getString("joined_at"));
    assertEquals("qr_code", memberOf(created, stranger).getString("join_scene"));
    assertEquals(List.of("wecom.group_joined"), eventTypes(customerId));
    JsonObject fetch = wecom.requests(FakeWecomDirectory.GROUPCHAT_GET).stream()
        .filter(r -> chatId.equals(r.body().getString("chat_id"))).findFirst().orElseThrow().body();
    assertEquals(1, fetch.getInteger("need_name"));

    state(chatId, "会员福利群", "zhangsan", t0, owner, a, b, member(newcomer, 2, t0.plusSeconds(20), 2, null));
    handle(ChatCallbacks.members(chatId, true, List.of(newcomer), "v1", "v2", t0.plusSeconds(20)));
    JsonObject grown = chat(chatId, "active");
    assertEquals(4, grown.getInteger("member_count"));
    assertEquals("invite_link", memberOf(grown, newcomer).getString("join_scene"));
    assertEquals(List.of("wecom.group_joined"), eventTypes(newcomerId));

    state(chatId, "会员福利群", "lisi", t0, owner, a, b, member(newcomer, 2, t0.plusSeconds(20), 2, null));
    handle(ChatCallbacks.update(chatId, "change_owner", t0.plusSeconds(30)));
    assertEquals("lisi", chat(chatId, "active").getString("owner"));

    state(chatId, "双十一福利群", "lisi", t0, owner, a, b, member(newcomer, 2, t0.plusSeconds(20), 2, null));
    handle(ChatCallbacks.update(chatId, "change_name", t0.plusSeconds(40)));
    assertEquals("双十一福利群", chat(chatId, "active").getString("name"));

    state(chatId, "双十一福利群", "lisi", t0, owner, b, member(newcomer, 2, t0.plusSeconds(20), 2, null));
    handle(ChatCallbacks.members(chatId, false, List.of(customer), "v2", "v3", t0.plusSeconds(50)));
    JsonObject left = chat(chatId, "left");
    assertEquals(3, left.getInteger("member_count"));
    assertEquals("removed", memberOf(left, customer).getString("quit_scene"));
    assertEquals(t0.plusSeconds(50).toString(), memberOf(left, customer).getString("left_at"));
    assertEquals(List.of("wecom.group_joined", "wecom.group_left"), eventTypes(customerId));
    assertEquals(5, fetchesOf(chatId));

    // the customer is back; a callback applied once changes nothing when it comes again, whatever WeCom shows then
    state(chatId, "双十一福利群", "lisi", t0, owner, member(customer, 2, t0.plusSeconds(55), 3, null), b,
        member(newcomer, 2, t0.plusSeconds(20), 2, null));
    WecomCallback rejoin = ChatCallbacks.members(chatId, true, List.of(customer), "v3", "v4", t0.plusSeconds(55));
    handle(rejoin);
    assertEquals(4, chat(chatId, "active").getInteger("member_count"));
    state(chatId, "双十一福利群", "lisi", t0, owner, b, member(newcomer, 2, t0.plusSeconds(20), 2, null));
    handle(rejoin);
    assertEquals(4, chat(chatId, "active").getInteger("member_count"));
    assertNull(memberOf(chat(chatId, "active"), customer).getValue("left_at"));
    assertEquals(List.of("wecom.group_joined", "wecom.group_joined", "wecom.group_left"), eventTypes(customerId));
    assertEquals(7, fetchesOf(chatId));

    handle(ChatCallbacks.dismiss(chatId, t0.plusSeconds(70)));
    assertEquals("dismissed", chat(chatId, "all").getString("status"));
    assertEquals(7, fetchesOf(chatId), "a dismissed chat is not read from WeCom");
  }

  @Test
  void membersTheCallbacksMissedAreMatchedToWeComsList() {
    String u = unique();
    String chatId = ChatCallbacks.chatId();
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    JsonObject owner = member("wangwu", 1, t0, 1, null);
    state(chatId, "门店群", "wangwu", t0, owner, member("x" + u, 2, t0, 1, "wangwu"), member("y" + u, 2, t0, 1, "wangwu"));
    handle(ChatCallbacks.create(chatId, t0));
    assertEquals(3, chat(chatId, "active").getInteger("member_count"));

    // x left and w joined without a callback Siyu saw; z's join is the one reported
    state(chatId, "门店群", "wangwu", t0, owner, member("y" + u, 2, t0, 1, "wangwu"),
        member("w" + u, 2, t0.plusSeconds(5), 3, null), member("z" + u, 2, t0.plusSeconds(9), 3, null));
    handle(ChatCallbacks.members(chatId, true, List.of("z" + u), "v1", "v2", t0.plusSeconds(10)));
    JsonObject all = chat(chatId, "all");
    assertEquals(4, all.getInteger("member_count"));
    assertNotNull(memberOf(all, "x" + u).getString("left_at"));
    assertNull(memberOf(all, "x" + u).getValue("quit_scene"), "WeCom did not say how x left");
    assertNull(memberOf(all, "w" + u).getValue("left_at"));
    assertNull(memberOf(all, "z" + u).getValue("left_at"));
  }

  @Test
  void aChatWeComWillNotShowIsChangedByTheCallbackAlone() {
    String u = unique();
    String chatId = ChatCallbacks.chatId();
    handle(ChatCallbacks.members(chatId, true, List.of("p" + u, "q" + u), "v0", "v1", Instant.now().minusSeconds(60)));
    JsonObject chat = chat(chatId, "active");
    assertEquals(2, chat.getInteger("member_count"));
    assertNull(chat.getString("name"));
    assertEquals(1, fetchesOf(chatId), "WeCom was asked and refused");
  }

  @Test
  void aTransientWeComErrorFailsTheCallbackAndChangesNothingUntilItIsTriedAgain() {
    String chatId = ChatCallbacks.chatId();
    Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    state(chatId, "售后群", "zhaoliu", t0, member("zhaoliu", 1, t0, 1, null));
    WecomCallback create = ChatCallbacks.create(chatId, t0);
    // busy for every try the client makes of its own: the callback fails and the inbox retries it
    wecom.answerNext(io.siyu.wecom.api.WecomClient.CALL_ATTEMPTS, -1, "system busy");
    IllegalStateException failed = assertThrows(IllegalStateException.class, () -> handle(create));
    assertTrue(failed.getMessage().contains("retry"), failed.getMessage());
    assertEquals(404, server.api().get("/api/v1/group-chats/" + chatId).status());

    handle(create);
    assertEquals("售后群", chat(chatId, "active").getString("name"));
  }

  @Test
  void theListFiltersAndPages() {
    String u = unique();
    String owner = "owner-" + u;
    Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    String member = "wm-list-" + u;
    long contactId = contact(member);
    String first = ChatCallbacks.chatId();
    String second = ChatCallbacks.chatId();
    String third = ChatCallbacks.chatId();
    state(first, "品牌会员群-" + u, owner, t0, member(owner, 1, t0, 1, null), member(member, 2, t0, 1, owner));
    state(second, "品牌会员群-" + u + "-二群", owner, t0, member(owner, 1, t0, 1, null));
    state(third, "VIP 100% 专属-" + u, owner, t0, member(owner, 1, t0, 1, null));
    for (String chatId : List.of(first, second, third)) {
      handle(ChatCallbacks.create(chatId, t0));
    }
    handle(ChatCallbacks.dismiss(second, t0.plusSeconds(5)));

    // in the order Siyu first saw them (the default is the latest first); the cursor keeps the order
    Reply page1 = server.api().get("/api/v1/group-chats?owner=" + owner + "&limit=2&sort=id");
    assertEquals(200, page1.status(), page1.toString());
    assertEquals(List.of(first, second), chatIds(page1.items()));
    String cursor = page1.json().getString("next_cursor");
    assertNotNull(cursor);
    Reply page2 = server.api().get("/api/v1/group-chats?owner=" + owner + "&limit=2&cursor=" + cursor);
    assertEquals(List.of(third), chatIds(page2.items()));
    assertNull(page2.json().getValue("next_cursor"));

    assertEquals(List.of(second, first), chatIds(server.api().get("/api/v1/group-chats?name=" + encode("会员群-" + u)).items()));
    assertEquals(List.of(third), chatIds(server.api().get("/api/v1/group-chats?owner=" + owner + "&name=100%25").items()),
        "% is a character, not a wildcard");
    assertEquals(List.of(second), chatIds(server.api().get("/api/v1/group-chats?owner=" + owner + "&status=dismissed").items()));
    assertEquals(List.of(third, first), chatIds(server.api().get("/api/v1/group-chats?owner=" + owner + "&status=active").items()));
    assertEquals(List.of(first), chatIds(server.api().get("/api/v1/group-chats?contact_id=" + contactId).items()));

    JsonObject members1 = server.api().get("/api/v1/group-chats/" + first + "?limit=1").json().getJsonObject("members");
    assertEquals(1, members1.getJsonArray("items").size());
    String next = members1.getString("next_cursor");
    JsonObject members2 = server.api().get("/api/v1/group-chats/" + first + "?limit=1&cursor=" + next).json()
        .getJsonObject("members");
    assertEquals(1, members2.getJsonArray("items").size());
    assertNull(members2.getValue("next_cursor"));
    assertEquals(List.of(owner, member), java.util.stream.Stream.of(members1, members2)
        .map(m -> m.getJsonArray("items").getJsonObject(0).getString("userid")).toList());
  }

  @Test
  void statisticsGiveSizeJoinsAndLeavesByDay() {
    String u = unique();
    String chatId = ChatCallbacks.chatId();
    // noon in Shanghai on three days of March 2026
    Instant day1 = Instant.parse("2026-03-10T04:00:00Z");
    Instant day2 = day1.plus(1, ChronoUnit.DAYS);
    Instant day3 = day2.plus(1, ChronoUnit.DAYS);
    JsonObject owner = member("sunqi", 1, day1, 1, null);
    JsonObject a = member("a" + u, 2, day1, 1, "sunqi");
    JsonObject b = member("b" + u, 2, day1, 3, null);
    state(chatId, "统计群", "sunqi", day1, owner, a, b);
    handle(ChatCallbacks.create(chatId, day1));
    state(chatId, "统计群", "sunqi", day1, owner, a, b, member("c" + u, 2, day2, 3, null));
    handle(ChatCallbacks.members(chatId, true, List.of("c" + u), "v1", "v2", day2));
    state(chatId, "统计群", "sunqi", day1, owner, b, member("c" + u, 2, day2, 3, null));
    handle(ChatCallbacks.members(chatId, false, List.of("a" + u), "v2", "v3", day3));

    Reply r = server.api().get("/api/v1/group-chats/" + chatId + "/stats?from=2026-03-09&to=2026-03-13");
    assertEquals(200, r.status(), r.toString());
    assertEquals("Asia/Shanghai", r.json().getString("timezone"));
    JsonArray days = r.json().getJsonArray("days");
    assertEquals(5, days.size());
    assertDay(days.getJsonObject(0), "2026-03-09", null, 0, 0);
    assertDay(days.getJsonObject(1), "2026-03-10", 3, 3, 0);
    assertDay(days.getJsonObject(2), "2026-03-11", 4, 1, 0);
    assertDay(days.getJsonObject(3), "2026-03-12", 3, 0, 1);
    assertDay(days.getJsonObject(4), "2026-03-13", 3, 0, 0);

    // 04:00 UTC is still the same day in UTC; in Honolulu (UTC-10) it is the evening before
    JsonArray honolulu = server.api().get("/api/v1/group-chats/" + chatId
        + "/stats?from=2026-03-09&to=2026-03-09&timezone=Pacific/Honolulu").json().getJsonArray("days");
    assertDay(honolulu.getJsonObject(0), "2026-03-09", 3, 3, 0);
  }

  private static void assertDay(JsonObject day, String date, Integer size, long joins, long leaves) {
    assertEquals(date, day.getString("date"), day.encode());
    assertEquals(size, day.getInteger("size"), day.encode());
    assertEquals(joins, day.getLong("joins"), day.encode());
    assertEquals(leaves, day.getLong("leaves"), day.encode());
  }

  @Test
  void badQueriesAreProblemsAndUnknownChatsAreNotFound() {
    String chatId = ChatCallbacks.chatId();
    handle(ChatCallbacks.create(chatId, Instant.now().minusSeconds(60)));
    assertProblem(422, "/api/v1/group-chats?status=archived", "status");
    assertProblem(422, "/api/v1/group-chats?contact_id=abc", "contact_id");
    assertProblem(422, "/api/v1/group-chats?contact_id=0", "contact_id");
    assertProblem(422, "/api/v1/group-chats?limit=0", "limit");
    assertProblem(422, "/api/v1/group-chats?cursor=not-ours", "cursor");
    assertProblem(422, "/api/v1/group-chats?owner=", "owner");
    assertProblem(422, "/api/v1/group-chats?colour=red", "colour");
    assertProblem(422, "/api/v1/group-chats/" + chatId + "?member_status=gone", "member_status");
    assertProblem(422, "/api/v1/group-chats/" + chatId + "/stats?from=2026-03-10&to=2026-03-01", "from");
    assertProblem(422, "/api/v1/group-chats/" + chatId + "/stats?from=yesterday", "from");
    assertProblem(422, "/api/v1/group-chats/" + chatId + "/stats?from=2024-01-01&to=2026-01-01", "from");
    assertProblem(422, "/api/v1/group-chats/" + chatId + "/stats?timezone=Mars/Olympus", "timezone");
    Reply missing = server.api().get("/api/v1/group-chats/wr-no-such-chat");
    assertEquals(404, missing.status());
    assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
    assertEquals(404, server.api().get("/api/v1/group-chats/wr-no-such-chat/stats").status());
    assertEquals(401, server.as(null).get("/api/v1/group-chats").status());
  }

  private static void assertProblem(int status, String path, String field) {
    Reply r = server.api().get(path);
    assertEquals(status, r.status(), path + " → " + r);
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("validation", r.problemType(), r.toString());
    assertEquals(field, r.errorField(), r.toString());
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<String> chatIds(JsonArray items) {
    return items.stream().map(c -> ((JsonObject) c).getString("chat_id")).toList();
  }
}
