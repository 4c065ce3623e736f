package io.siyu.wechatoa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /webhooks/wechat-oa} over real HTTP, called the way the Official Account platform calls
 * it: the URL check, follows and unfollows recorded once however often they are retried, consent
 * following the latest of them, and hostile or unsigned XML refused with nothing stored.
 */
class WechatOaWebhookTest {
  private static final String TOKEN = "oaToken" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String ACCOUNT = "gh_0123456789ab";

  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of("SIYU_WECHAT_OA_TOKEN", TOKEN));

  private static Api platform() {
    return server.as(null);
  }

  private static String openid() {
    return "oAbC" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** The platform's signature, written out here: SHA-1 hex of token, timestamp and nonce sorted and joined. */
  private static String signature(String token, String timestamp, String nonce) throws Exception {
    String[] parts = {token, timestamp, nonce};
    Arrays.sort(parts);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
  }

  private static String query(String token, long timestamp) throws Exception {
    String nonce = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
    return "signature=" + signature(token, Long.toString(timestamp), nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce;
  }

  private static Reply post(String query, String xml) {
    return platform().send(HttpMethod.POST, "/webhooks/wechat-oa?" + query, "text/xml", Buffer.buffer(xml),
        MultiMap.caseInsensitiveMultiMap());
  }

  private static Reply post(String xml) throws Exception {
    return post(query(TOKEN, now()), xml);
  }

  private static String eventXml(String openid, long createTime, String event, String eventKey) {
    return "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName>"
        + "<FromUserName><![CDATA[" + openid + "]]></FromUserName>"
        + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[" + event + "]]></Event>"
        + (eventKey == null ? "" : "<EventKey><![CDATA[" + eventKey + "]]></EventKey><Ticket><![CDATA[gQH47joAAAAAAAAAASxodHRw]]></Ticket>")
        + "</xml>";
  }

  private static void assertSuccess(Reply r) {
    assertEquals(200, r.status(), r.toString());
    assertEquals("success", r.body());
    assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
  }

  private static JsonArray contactsWithOpenid(String openid) {
    return server.api().get("/api/v1/contacts?openid=" + URLEncoder.encode(openid, StandardCharsets.UTF_8)).items();
  }

  private static JsonObject contact(String openid) {
    JsonArray found = contactsWithOpenid(openid);
    assertEquals(1, found.size(), found.encode());
    return found.getJsonObject(0);
  }

  private static JsonArray events(long contactId, String type) {
    return server.api().get("/api/v1/events?contact_id=" + contactId + "&type=" + type).items();
  }

  private static Boolean consent(long contactId) {
    return server.api().get("/api/v1/contacts/" + contactId).json().getJsonObject("consent").getBoolean("wechat_oa");
  }

  @Test
  void theUrlCheckEchoesOnlyForTheToken() throws Exception {
    String echostr = "5837397749234" + UUID.randomUUID().toString().substring(0, 4);
    Reply ok = platform().get("/webhooks/wechat-oa?" + query(TOKEN, now()) + "&echostr=" + echostr);
    assertEquals(200, ok.status(), ok.toString());
    assertEquals(echostr, ok.body());
    assertTrue(ok.contentType().startsWith("text/plain"), ok.contentType());

    for (String bad : new String[] {query("otherToken123", now()) + "&echostr=" + echostr,
        query(TOKEN, now() - 301) + "&echostr=" + echostr,
        "timestamp=" + now() + "&nonce=1&echostr=" + echostr}) {
      Reply r = platform().get("/webhooks/wechat-oa?" + bad);
      assertEquals(401, r.status(), bad + ": " + r);
      assertEquals("application/problem+json", r.contentType());
      assertFalse(r.body().contains(echostr), "nothing echoed to an unsigned call");
    }
    assertEquals(400, platform().get("/webhooks/wechat-oa?" + query(TOKEN, now())).status(), "no echostr");
  }

  @Test
  void aFollowThroughAQrCodeMakesTheContactAndItsEventOnce() throws Exception {
    String openid = openid();
    long at = now() - 60;
    String xml = eventXml(openid, at, "subscribe", "qrscene_spring_fair");
    assertSuccess(post(xml));

    JsonObject c = contact(openid);
    assertEquals("wechat_oa:spring_fair", c.getString("source"), "the QR code's scene is where the member came from");
    assertEquals(Boolean.TRUE, consent(c.getLong("id")));
    JsonObject e = server.api().get("/api/v1/events/wechat-oa:" + openid + ":" + at + ":subscribe").json();
    assertEquals("wechat.subscribed", e.getString("type"));
    assertEquals(c.getLong("id"), e.getLong("contact_id"));
    assertEquals(java.time.Instant.ofEpochSecond(at).toString(), e.getString("occurred_at"));
    assertEquals(new JsonObject().put("account", ACCOUNT).put("scene", "spring_fair"), e.getJsonObject("properties"));
    assertEquals("wechat_oa", e.getString("source"));

    // WeChat retries a message it got no answer to: a new signature, the same message
    assertSuccess(post(xml));
    assertSuccess(post(xml));
    assertEquals(1, contactsWithOpenid(openid).size());
    assertEquals(1, events(c.getLong("id"), "wechat.subscribed").size());
  }

  @Test
  void aFollowerKnownByOpenidIsTheSameContact() throws Exception {
    String openid = openid();
    Reply made = server.api().post("/api/v1/contacts", new JsonObject().put("openid", openid).put("name", "李雷")
        .put("source", "store"));
    assertEquals(201, made.status(), made.toString());
    long id = made.json().getLong("id");
    assertSuccess(post(eventXml(openid, now() - 5, "subscribe", null)));
    JsonObject c = contact(openid);
    assertEquals(id, c.getLong("id"));
    assertEquals("store", c.getString("source"), "a known contact keeps its profile");
    assertEquals(1, events(id, "wechat.subscribed").size());
    assertEquals(Boolean.TRUE, consent(id));
  }

  @Test
  void anUnfollowWithdrawsConsentAndTheLatestMessageWins() throws Exception {
    String openid = openid();
    long t = now() - 300;
    String follow = eventXml(openid, t, "subscribe", null);
    assertSuccess(post(follow));
    long id = contact(openid).getLong("id");
    assertEquals(Boolean.TRUE, consent(id));

    String unfollow = eventXml(openid, t + 100, "unsubscribe", null);
    assertSuccess(post(unfollow));
    assertEquals(Boolean.FALSE, consent(id));
    assertEquals(1, events(id, "wechat.unsubscribed").size());
    JsonArray revoked = events(id, "consent.revoked");
    assertEquals(1, revoked.size());
    assertEquals(new JsonObject().put("channel", "wechat_oa").put("via", "wechat.unsubscribed"),
        revoked.getJsonObject(0).getJsonObject("properties"));

    // retries of either message, in any order, change nothing: consent follows the latest
    assertSuccess(post(unfollow));
    assertSuccess(post(follow));
    assertEquals(Boolean.FALSE, consent(id));
    assertEquals(1, events(id, "wechat.unsubscribed").size());
    assertEquals(1, events(id, "wechat.subscribed").size());
    assertEquals(1, events(id, "consent.revoked").size());

    // following again later restores it
    assertSuccess(post(eventXml(openid, t + 200, "subscribe", null)));
    assertEquals(Boolean.TRUE, consent(id));
    assertEquals(2, events(id, "wechat.subscribed").size());
  }

  @Test
  void aFollowArrivingAfterTheLaterUnfollowLeavesConsentWithdrawn() throws Exception {
    String openid = openid();
    long t = now() - 120;
    // the follow's first delivery failed and its retry comes after the unfollow
    assertSuccess(post(eventXml(openid, t + 60, "unsubscribe", null)));
    long id = contact(openid).getLong("id");
    assertEquals(Boolean.FALSE, consent(id));
    assertSuccess(post(eventXml(openid, t, "subscribe", null)));
    assertEquals(1, events(id, "wechat.subscribed").size(), "the follow is recorded");
    assertEquals(Boolean.FALSE, consent(id), "but the unfollow is the later word");
  }

  @Test
  void otherMessagesAreAcknowledgedAndNotKept() throws Exception {
    String openid = openid();
    String text = "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName><FromUserName><![CDATA[" + openid
        + "]]></FromUserName><CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + "<Content><![CDATA[你好]]></Content><MsgId>1234567890123456</MsgId></xml>";
    assertSuccess(post(text));
    assertSuccess(post(eventXml(openid, now(), "SCAN", "spring_fair")));
    assertSuccess(post(eventXml(openid, now(), "CLICK", "MENU_1")));
    assertEquals(0, contactsWithOpenid(openid).size());
  }

  @Test
  void unsignedOrStaleMessagesAre401AndStoreNothing() throws Exception {
    String openid = openid();
    String xml = eventXml(openid, now(), "subscribe", null);
    for (String q : new String[] {query("otherToken123", now()), query(TOKEN, now() - 301), query(TOKEN, now() + 301),
        "timestamp=" + now() + "&nonce=42", ""}) {
      Reply r = post(q, xml);
      assertEquals(401, r.status(), q + ": " + r);
      assertEquals("unauthorized", r.problemType());
    }
    // the signature is read from the query string only, never from a form body
    String form = "signature=" + signature(TOKEN, Long.toString(now()), "7") + "&timestamp=" + now() + "&nonce=7";
    Reply formReply = platform().send(HttpMethod.POST, "/webhooks/wechat-oa", "application/x-www-form-urlencoded",
        Buffer.buffer(form), MultiMap.caseInsensitiveMultiMap());
    assertEquals(401, formReply.status(), formReply.toString());
    assertEquals(0, contactsWithOpenid(openid).size());
  }

  @Test
  void hostileOrOversizeXmlIsRefusedWithNothingStored() throws Exception {
    String openid = openid();
    String tail = "<CreateTime>" + now() + "</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>";
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<xml><ToUserName>" + ACCOUNT + "</ToUserName><FromUserName>" + openid + "&xxe;</FromUserName>" + tail;
    StringBuilder lol = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      lol.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    String laughs = lol + "]><xml><FromUserName>" + openid + "</FromUserName><Content>&lol9;</Content>" + tail;
    String oversize = "<xml><FromUserName>" + openid + "</FromUserName><Content>" + "长".repeat(40_000)
        + "</Content>" + tail;
    Map<String, Integer> expected = Map.of(xxe, 400, laughs, 400, oversize, 413,
        "<xml><FromUserName>" + openid + "</FromUserName>", 400,
        "<xml><FromUserName>" + openid + "</FromUserName><Event>subscribe</Event></xml>", 400,
        "<xml><FromUserName>" + openid + "</FromUserName><CreateTime>soon</CreateTime><MsgType>event</MsgType></xml>", 400);
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      Reply r = post(e.getKey());
      assertEquals(e.getValue(), r.status(), e.getKey().substring(0, 60) + ": " + r);
      assertEquals("application/problem+json", r.contentType());
      assertFalse(r.body().contains("root:"), "no file content in the answer");
    }
    assertEquals(0, contactsWithOpenid(openid).size(), "no event either: every event has a contact");
  }
}
