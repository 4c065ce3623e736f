package io.siyu.wecom.tag;

import static io.siyu.support.Await.result;
import static io.siyu.support.Eventually.await;
import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.db.JdbcSql;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.FakeCorpTags;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.siyu.tag.TagService;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WeCom's corp tags mirrored into Siyu's tag groups and tags ({@code change_external_tag} against a
 * loopback WeCom), and tag changes made in Siyu on mirrored tags sent back with {@code mark_tag}:
 * from the API and from a journey step's JDBC transaction, retried after a transient error, and
 * never for changes that came from WeCom.
 */
class CorpTagTest {
  private static final AtomicLong callbackIds = new AtomicLong(System.currentTimeMillis() * 1000 + 500_000);
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();
  private static final FakeCorpTags corp = wecom.corpTags();

  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env(),
      Map.of("SIYU_WECOM_TAG_PUSH_POLL_MS", "50", "SIYU_WECOM_TAG_PUSH_RETRY_MS", "100"));

  private static WecomCallback callback(String change, String id, String type, String strategyId) {
    WecomCallback parsed = WecomCallback.parse("<xml><ToUserName><![CDATA[ww-fake-corp]]></ToUserName>"
        + "<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime>"
        + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event>"
        + (id == null ? "" : "<Id><![CDATA[" + id + "]]></Id>")
        + (type == null ? "" : "<TagType><![CDATA[" + type + "]]></TagType>")
        + "<ChangeType><![CDATA[" + change + "]]></ChangeType>"
        + (strategyId == null ? "" : "<StrategyId>" + strategyId + "</StrategyId>") + "</xml>");
    return new WecomCallback(callbackIds.incrementAndGet(), parsed.event(), parsed.changeType(), parsed.fields(),
        parsed.receivedAt());
  }

  private static void handle(String change, String id, String type) {
    result(server.siyu().services().corpTagCallbacks().handle(callback(change, id, type, null)));
  }

  private static List<Map<String, Object>> sql(String numberedSql, Object... params) {
    try (Connection c = server.siyu().database().jdbc().getConnection()) {
      return JdbcSql.query(c, numberedSql, params);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Siyu tag mirroring WeCom's {@code wecomTagId}: id, name, group and WeCom's order; null when none. */
  private static Map<String, Object> mirror(String wecomTagId) {
    List<Map<String, Object>> rows = sql("SELECT t.id, t.name, t.wecom_order, g.name AS group_name, g.wecom_group_id "
        + "FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.wecom_tag_id = $1", wecomTagId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static Map<String, Object> groupMirror(String wecomGroupId) {
    List<Map<String, Object>> rows = sql("SELECT id, name, wecom_order FROM tag_groups WHERE wecom_group_id = $1",
        wecomGroupId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static long contact(String externalUserid, String owner) {
    JsonObject body = new JsonObject().put("external_userid", externalUserid);
    if (owner != null) {
      body.put("owner_staff_id", owner);
    }
    Reply r = server.api().post("/api/v1/contacts", body);
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static Map<String, Object> push(long contactId, long tagId) {
    List<Map<String, Object>> rows = sql("SELECT action, status, attempts, revision, last_error FROM wecom_tag_pushes "
        + "WHERE contact_id = $1 AND tag_id = $2", contactId, tagId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static Map<String, Object> awaitPush(long contactId, long tagId, String status) {
    return await("push of tag " + tagId + " on " + contactId + " to be " + status, () -> {
      Map<String, Object> p = push(contactId, tagId);
      return p != null && status.equals(p.get("status")) ? p : null;
    });
  }

  private static List<JsonObject> markTags(String externalUserid) {
    return wecom.requests(FakeCorpTags.MARK_TAG).stream().map(FakeWecom.Request::body)
        .filter(b -> externalUserid.equals(b.getString("external_userid"))).toList();
  }

  /** A WeCom group with one tag, mirrored; answers the Siyu tag id. */
  private static long mirroredTag(String groupId, String tagId, String u) {
    corp.group(groupId, "会员等级-" + u, 10);
    corp.tag(groupId, tagId, "金卡", 5);
    handle("create", groupId, "tag_group");
    return (Long) mirror(tagId).get("id");
  }

  @Test
  void groupsAndTagsAreMirroredWithNameAndOrderAndRenamedInPlace() {
    String u = unique();
    String g = "et-g-" + u;
    corp.group(g, "客户等级-" + u, 10);
    corp.tag(g, "et-gold-" + u, "金卡", 3);
    corp.tag(g, "et-silver-" + u, "银卡", 2);
    handle("create", g, "tag_group");

    Map<String, Object> group = groupMirror(g);
    assertEquals("客户等级-" + u, group.get("name"));
    assertEquals(10L, group.get("wecom_order"));
    JsonObject listed = server.api().get("/api/v1/tag-groups/" + group.get("id")).json();
    assertEquals(List.of("金卡", "银卡"), listed.getJsonArray("tags").stream()
        .map(t -> ((JsonObject) t).getString("name")).toList());
    long gold = (Long) mirror("et-gold-" + u).get("id");

    corp.tag(g, "et-bronze-" + u, "铜卡", 1);
    handle("create", "et-bronze-" + u, "tag");
    assertEquals("铜卡", mirror("et-bronze-" + u).get("name"));

    corp.tag(g, "et-gold-" + u, "黄金卡", 3);
    handle("update", "et-gold-" + u, "tag");
    assertEquals("黄金卡", mirror("et-gold-" + u).get("name"));
    assertEquals(gold, mirror("et-gold-" + u).get("id"), "renamed in place: contacts keep the tag");

    corp.group(g, "会员等级-" + u, 10);
    handle("update", g, "tag_group");
    assertEquals("会员等级-" + u, groupMirror(g).get("name"));

    // the same callbacks again change nothing
    handle("update", "et-gold-" + u, "tag");
    handle("create", g, "tag_group");
    assertEquals(3L, sql("SELECT count(*) AS n FROM tags t JOIN tag_groups g ON g.id = t.group_id "
        + "WHERE g.wecom_group_id = $1", g).get(0).get("n"));
  }

  @Test
  void aShuffleReadsTheOrderAgainAndAWholeListDropsWhatWeComNoLongerHas() {
    String u = unique();
    String g1 = "et-s1-" + u;
    String g2 = "et-s2-" + u;
    corp.group(g1, "兴趣-" + u, 1);
    corp.tag(g1, "et-a-" + u, "咖啡", 1);
    corp.tag(g1, "et-b-" + u, "茶", 2);
    corp.group(g2, "渠道-" + u, 2);
    corp.tag(g2, "et-c-" + u, "门店", 1);
    handle("create", g1, "tag_group");
    handle("create", g2, "tag_group");

    corp.tag(g1, "et-a-" + u, "咖啡", 9);
    handle("shuffle", g1, null);
    assertEquals(9L, mirror("et-a-" + u).get("wecom_order"));

    corp.group(g1, "兴趣-" + u, 7);
    corp.deleteGroup(g2);
    handle("shuffle", null, null);
    assertEquals(7L, groupMirror(g1).get("wecom_order"));
    assertNull(groupMirror(g2), "the whole list no longer has it");
    assertNull(mirror("et-c-" + u));
  }

  @Test
  void aDeleteInWeComDeletesTheMirrorAndRecordsItWithoutPushingBack() {
    String u = unique();
    String g = "et-d-" + u;
    long tag = mirroredTag(g, "et-d1-" + u, u);
    corp.tag(g, "et-d2-" + u, "银卡", 4);
    handle("create", "et-d2-" + u, "tag");
    String external = "wm-d-" + u;
    long contact = contact(external, "zhangsan");
    result(server.siyu().services().tags().tagContact(contact, new JsonObject().put("tag_ids", new JsonArray().add(tag)),
        "wecom:edit_external_contact"));
    assertNull(push(contact, tag), "a tag WeCom put on the customer is not owed back to it");
    Map<String, Object> groupRow = groupMirror(g);
    Reply own = server.api().post("/api/v1/tags", new JsonObject().put("group_id", groupRow.get("id")).put("name", "自建-" + u));
    assertEquals(201, own.status(), own.toString());

    corp.deleteTag(g, "et-d1-" + u);
    handle("delete", "et-d1-" + u, "tag");
    handle("delete", "et-d1-" + u, "tag");
    assertNull(mirror("et-d1-" + u));
    JsonObject removal = server.api().get("/api/v1/contacts/" + contact + "/tag-history").items().stream()
        .map(JsonObject.class::cast).filter(h -> "removed".equals(h.getString("action"))).findFirst().orElseThrow();
    assertEquals("wecom", removal.getString("actor"));

    corp.deleteGroup(g);
    handle("delete", g, "tag_group");
    assertNull(mirror("et-d2-" + u));
    assertNull(groupMirror(g), "the group mirrors nothing any more");
    assertEquals(200, server.api().get("/api/v1/tag-groups/" + groupRow.get("id")).status(),
        "it stays for the tag Siyu made in it");
    assertEquals(200, server.api().get("/api/v1/tags/" + own.json().getLong("id")).status());
    assertTrue(markTags(external).isEmpty(), "nothing WeCom did is sent back to it");
  }

  @Test
  void anUpdateOfATagWeComHasDeletedSinceDeletesTheMirror() {
    String u = unique();
    String g = "et-u-" + u;
    mirroredTag(g, "et-u1-" + u, u);
    corp.deleteTag(g, "et-u1-" + u);
    handle("update", "et-u1-" + u, "tag");
    assertNull(mirror("et-u1-" + u));
  }

  @Test
  void aTagMadeInSiyuBeforeIsAdoptedByTheWeComTagOfTheSameName() {
    String u = unique();
    Reply group = server.api().post("/api/v1/tag-groups", new JsonObject().put("name", "来源-" + u));
    long groupId = group.json().getLong("id");
    long tagId = server.api().post("/api/v1/tags", new JsonObject().put("group_id", groupId).put("name", "抖音"))
        .json().getLong("id");
    String g = "et-adopt-" + u;
    corp.group(g, "来源-" + u, 1);
    corp.tag(g, "et-douyin-" + u, "抖音", 1);
    handle("create", g, "tag_group");
    assertEquals(groupId, groupMirror(g).get("id"));
    assertEquals(tagId, mirror("et-douyin-" + u).get("id"));
  }

  @Test
  void rulesGroupTagsAreNotMirrored() {
    String u = unique();
    String g = "et-rule-" + u;
    result(server.siyu().services().corpTagCallbacks().handle(callback("create", g, "tag_group", "7")));
    assertNull(groupMirror(g));
    assertTrue(wecom.requests(FakeCorpTags.GET_CORP_TAG_LIST).stream().noneMatch(r -> r.body().encode().contains(g)),
        "rule-group tags are read from another API, which Siyu does not call");
  }

  @Test
  void aTagChangeInSiyuIsSentToWeComAsTheOwnerStaffMember() {
    String u = unique();
    long tag = mirroredTag("et-p-" + u, "et-p1-" + u, u);
    String external = "wm-p-" + u;
    long contact = contact(external, "lisi");

    Reply added = server.api().post("/api/v1/contacts/" + contact + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(tag)));
    assertEquals(200, added.status(), added.toString());
    awaitPush(contact, tag, "done");
    JsonObject add = markTags(external).get(0);
    assertEquals("lisi", add.getString("userid"));
    assertEquals(new JsonArray().add("et-p1-" + u), add.getJsonArray("add_tag"));
    assertNull(add.getValue("remove_tag"));

    assertEquals(204, server.api().delete("/api/v1/contacts/" + contact + "/tags/" + tag).status());
    await("the removal sent", () -> markTags(external).size() == 2);
    assertEquals(new JsonArray().add("et-p1-" + u), markTags(external).get(1).getJsonArray("remove_tag"));
    Map<String, Object> done = awaitPush(contact, tag, "done");
    assertEquals("remove", done.get("action"));
  }

  @Test
  void aJourneyStepsTagChangeIsOwedFromItsOwnTransaction() throws Exception {
    String u = unique();
    long tag = mirroredTag("et-j-" + u, "et-j1-" + u, u);
    String external = "wm-j-" + u;
    long contact = contact(external, "wangwu");
    try (Connection c = server.siyu().database().jdbc().getConnection()) {
      c.setAutoCommit(false);
      assertTrue(TagService.change(c, contact, tag, "journey:vip-upgrade", true));
      c.rollback();
    }
    assertNull(push(contact, tag), "a rolled-back step owes WeCom nothing");
    try (Connection c = server.siyu().database().jdbc().getConnection()) {
      c.setAutoCommit(false);
      assertTrue(TagService.change(c, contact, tag, "journey:vip-upgrade", true));
      c.commit();
    }
    awaitPush(contact, tag, "done");
    assertEquals(new JsonArray().add("et-j1-" + u), markTags(external).get(0).getJsonArray("add_tag"));
  }

  @Test
  void aTransientWeComErrorIsRetriedAndAPermanentOneFailsTheChange() {
    String u = unique();
    long tag = mirroredTag("et-r-" + u, "et-r1-" + u, u);
    String external = "wm-r-" + u;
    long contact = contact(external, "zhaoliu");
    // 45033 for every call the client tries of its own: the push's first attempt fails, its second goes
    int tries = io.siyu.wecom.api.WecomClient.CALL_ATTEMPTS;
    wecom.answerNext(tries, 45033, "api concurrent out of limit");
    server.api().post("/api/v1/contacts/" + contact + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(tag)));
    Map<String, Object> done = awaitPush(contact, tag, "done");
    assertEquals(2, done.get("attempts"), "the first attempt was answered 45033 on each try");
    assertEquals(tries + 1, markTags(external).size());

    String other = "wm-r2-" + u;
    long second = contact(other, "zhaoliu");
    wecom.answerNext(1, 84061, "not external contact");
    server.api().post("/api/v1/contacts/" + second + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(tag)));
    Map<String, Object> failed = awaitPush(second, tag, "failed");
    assertEquals(1, failed.get("attempts"));
    assertTrue(((String) failed.get("last_error")).contains("84061"), failed.toString());

    long ownerless = contact("wm-r3-" + u, null);
    server.api().post("/api/v1/contacts/" + ownerless + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(tag)));
    assertTrue(((String) awaitPush(ownerless, tag, "failed").get("last_error")).contains("owner_staff_id"));
  }

  @Test
  void changesFromWeComAreNotSentBackSoItsOwnEchoChangesNothing() {
    String u = unique();
    long tag = mirroredTag("et-e-" + u, "et-e1-" + u, u);
    String external = "wm-e-" + u;
    long contact = contact(external, "qianba");
    TagService tags = server.siyu().services().tags();

    // WeCom says a staff member tagged the customer: mirrored into Siyu, not sent back
    JsonObject fromWecom = result(tags.tagContact(contact, new JsonObject().put("tag_ids", new JsonArray().add(tag)),
        "wecom:edit_external_contact"));
    assertEquals(1, fromWecom.getInteger("added"));
    assertNull(push(contact, tag));

    // Siyu removes it: sent; WeCom's edit_external_contact for that removal finds Siyu as it is already
    result(tags.untagIfTagged(contact, tag, "token:1:operator"));
    Map<String, Object> sent = awaitPush(contact, tag, "done");
    assertEquals(false, result(tags.untagIfTagged(contact, tag, "wecom:edit_external_contact")));
    Map<String, Object> after = push(contact, tag);
    assertEquals(sent.get("revision"), after.get("revision"));
    assertEquals("done", after.get("status"), "nothing more is owed, so nothing more can be sent");
    assertEquals(1, markTags(external).size());
  }

  @Test
  void withoutTheWeComApiOnlyDeletesApply() {
    io.siyu.app.Services shared = TestSiyu.get().services();
    String u = unique();
    String g = "et-n-" + u;
    result(shared.corpTagCallbacks().handle(callback("create", g, "tag_group", null)));
    Api admin = TestSiyu.admin();
    assertEquals(0, admin.get("/api/v1/tag-groups?limit=500").items().stream()
        .filter(x -> ((JsonObject) x).getString("name").endsWith(u)).count(), "a name cannot be known without the API");

    long groupId = admin.post("/api/v1/tag-groups", new JsonObject().put("name", "离线-" + u)).json().getLong("id");
    long tagId = admin.post("/api/v1/tags", new JsonObject().put("group_id", groupId).put("name", "旧标签"))
        .json().getLong("id");
    result(TestSiyu.get().services().pool().preparedQuery("UPDATE tags SET wecom_tag_id = $1 WHERE id = $2")
        .execute(io.vertx.sqlclient.Tuple.of("et-n1-" + u, tagId)));
    result(shared.corpTagCallbacks().handle(callback("delete", "et-n1-" + u, "tag", null)));
    assertEquals(404, admin.get("/api/v1/tags/" + tagId).status());
  }

  @Test
  void aCallbackWithoutAnIdFails() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> result(server.siyu().services().corpTagCallbacks().handle(callback("create", null, "tag", null))));
    assertTrue(e.getMessage().contains("Id"), e.getMessage());
  }
}
