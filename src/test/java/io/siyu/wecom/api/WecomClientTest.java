package io.siyu.wecom.api;

import static io.siyu.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Delivery.Outcome;
import io.siyu.outbox.Delivery;
import io.siyu.support.Envs;
import io.siyu.support.FakeWecom;
import io.siyu.support.Ports;
import io.siyu.support.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WeCom client against {@link FakeWecom}: tokens, errcodes and the three kinds of message. */
class WecomClientTest {
  private static final Vertx vertx = Vertx.vertx();
  private static final String ADD = WecomClient.ADD_MSG_TEMPLATE;

  private final FakeWecom wecom = new FakeWecom();
  private final TestClock clock = TestClock.now();
  private final WecomClient client = client(wecom.env());

  @AfterEach
  void closeFake() {
    result(client.close());
    wecom.close();
  }

  @AfterAll
  static void closeVertx() {
    result(vertx.close());
  }

  private WecomClient client(Map<String, String> env) {
    return new WecomClient(vertx, WecomSettings.fromEnv(env).orElseThrow(), clock);
  }

  private static CustomerMessage toCustomer(String externalUserId) {
    return new CustomerMessage("zhangsan", List.of(externalUserId), WecomContent.text("双十一会员专享 8 折"));
  }

  private Delivery sendToCustomer(String externalUserId) {
    return result(client.sendToCustomers(toCustomer(externalUserId), "touch-" + externalUserId));
  }

  private static void assertOutcome(Outcome expected, Delivery d) {
    assertEquals(expected, d.outcome(), d.toString());
  }

  @Test
  void aCustomerMessageIsAMassSendTaskForTheSender() {
    JsonArray link = new JsonArray().add(new JsonObject().put("msgtype", "link").put("link",
        new JsonObject().put("title", "会员日").put("url", "https://shop.example.com/day")));
    Delivery d = result(client.sendToCustomers(new CustomerMessage("zhangsan", List.of("wmAAA"),
        new WecomContent("双十一会员专享 8 折", link)), "touch-1"));

    assertOutcome(Outcome.SENT, d);
    assertTrue(d.answer().startsWith("add_msg_template msgid msg-"), d.answer());
    FakeWecom.Request call = wecom.requests(ADD).get(0);
    assertEquals("POST", call.method());
    assertEquals(new JsonObject().put("chat_type", "single").put("external_userid", new JsonArray().add("wmAAA"))
        .put("sender", "zhangsan").put("text", new JsonObject().put("content", "双十一会员专享 8 折"))
        .put("attachments", link), call.body());
    FakeWecom.Request fetch = wecom.requests("/cgi-bin/gettoken").get(0);
    assertEquals(Map.of("corpid", FakeWecom.CORP_ID, "corpsecret", FakeWecom.CONTACT_SECRET), fetch.query());
  }

  @Test
  void theTokenIsCachedAcrossSends() {
    for (int i = 0; i < 3; i++) {
      assertOutcome(Outcome.SENT, sendToCustomer("wm" + i));
    }
    assertEquals(1, wecom.tokenFetches());
    assertEquals(1, wecom.requests(ADD).stream().map(FakeWecom.Request::token).distinct().count());
  }

  @Test
  void theTokenIsFetchedAgainShortlyBeforeItExpires() {
    wecom.tokenLifetime(Duration.ofSeconds(600));
    sendToCustomer("wm1");
    clock.advance(Duration.ofSeconds(530));
    sendToCustomer("wm2");
    assertEquals(1, wecom.tokenFetches(), "still well within its lifetime");
    clock.advance(Duration.ofSeconds(15));
    sendToCustomer("wm3");
    assertEquals(2, wecom.tokenFetches(), "a minute before expiry (a tenth of the lifetime, at most 5 minutes)");
  }

  @Test
  void anExpiredTokenIsRefreshedAndTheCallMadeOnceMore() {
    assertOutcome(Outcome.SENT, sendToCustomer("wm1"));
    wecom.expireTokens();

    assertOutcome(Outcome.SENT, sendToCustomer("wm2"));
    assertEquals(2, wecom.tokenFetches());
    List<FakeWecom.Request> calls = wecom.requests(ADD);
    assertEquals(3, calls.size(), "the first send, the refused call and its one retry");
    assertEquals(calls.get(0).token(), calls.get(1).token());
    assertNotEquals(calls.get(1).token(), calls.get(2).token(), "the retry carries the new token");
  }

  @Test
  void anInvalidTokenIsRefreshedLikeAnExpiredOne() {
    sendToCustomer("wm1");
    wecom.answerNext(1, 40014, "invalid access_token");
    assertOutcome(Outcome.SENT, sendToCustomer("wm2"));
    assertEquals(2, wecom.tokenFetches());
    assertEquals(3, wecom.requests(ADD).size());
  }

  /**
   * A token fetched for this very call refused again is WeCom's hiccup, not the touch's fault:
   * RETRY (the dispatcher's backoff spaces the next try) rather than FAILED, and no third call.
   */
  @Test
  void aSecondRefusalRightAfterTheRefreshIsRetriedLaterNotLooped() {
    wecom.answerNext(2, 42001, "access_token expired");
    Delivery d = sendToCustomer("wm1");

    assertOutcome(Outcome.RETRY, d);
    assertTrue(d.answer().contains("errcode 42001") && d.answer().contains("retry after"), d.answer());
    assertEquals(2, wecom.requests(ADD).size(), "one call and exactly one retry");
    assertEquals(2, wecom.tokenFetches());

    assertOutcome(Outcome.SENT, sendToCustomer("wm2"));
    assertEquals(3, wecom.tokenFetches(), "the refused token was dropped: the next send fetches again");
  }

  @Test
  void concurrentSendsFetchOneToken() {
    wecom.delayTokens(200);
    List<Future<Delivery>> sends = IntStream.range(0, 20)
        .mapToObj(i -> client.sendToCustomers(toCustomer("wm" + i), "touch-" + i)).toList();
    sends.forEach(f -> assertOutcome(Outcome.SENT, result(f)));
    assertEquals(1, wecom.tokenFetches());
    assertEquals(20, wecom.requests(ADD).size());
  }

  @Test
  void rateLimitAndBusyAreRetriedWithABackoffHint() {
    wecom.answerNext(1, 45009, "api freq out of limit");
    Delivery limited = sendToCustomer("wm1");
    assertOutcome(Outcome.RETRY, limited);
    assertTrue(limited.answer().contains("errcode 45009: api freq out of limit"), limited.answer());
    assertTrue(limited.answer().endsWith("retry after 60 s)"), limited.answer());

    wecom.answerNext(1, -1, "system busy");
    Delivery busy = sendToCustomer("wm2");
    assertOutcome(Outcome.RETRY, busy);
    assertTrue(busy.answer().endsWith("retry after 5 s)"), busy.answer());
    assertEquals(2, wecom.requests(ADD).size(), "the client itself does not retry: the dispatcher's backoff does");
  }

  @Test
  void aPermanentErrcodeFailsWithTheErrmsg() {
    wecom.answerNext(1, 40096, "invalid external userid");
    Delivery d = sendToCustomer("not-a-customer");
    assertOutcome(Outcome.FAILED, d);
    assertEquals("add_msg_template errcode 40096: invalid external userid", d.answer());
    assertEquals(1, wecom.requests(ADD).size());
  }

  @Test
  void aCustomerWeComCannotReachFails() {
    wecom.messages().unreachableCustomer("wmGone");
    Delivery d = sendToCustomer("wmGone");
    assertOutcome(Outcome.FAILED, d);
    assertTrue(d.answer().contains("fail_list [wmGone]"), d.answer());

    Delivery partly = result(client.sendToCustomers(new CustomerMessage("zhangsan", List.of("wmGone", "wmHere"),
        WecomContent.text("hi")), "touch-2"));
    assertOutcome(Outcome.SENT, partly);
    assertTrue(partly.answer().endsWith("fail_list [wmGone]"), partly.answer());
  }

  @Test
  void aWelcomeMessageSpendsItsCode() {
    String code = wecom.messages().issueWelcomeCode();
    WelcomeMessage welcome = new WelcomeMessage(code, clock.instant(), WecomContent.text("欢迎加入私域会员"));
    assertOutcome(Outcome.SENT, result(client.sendWelcome(welcome, "touch-w1")));
    assertEquals(new JsonObject().put("welcome_code", code).put("text", new JsonObject().put("content", "欢迎加入私域会员")),
        wecom.requests(WecomClient.SEND_WELCOME_MSG).get(0).body());

    Delivery again = result(client.sendWelcome(welcome, "touch-w1"));
    assertOutcome(Outcome.FAILED, again);
    assertTrue(again.answer().startsWith("send_welcome_msg errcode 41051: externaluser has started chatting"));
    assertTrue(again.answer().contains("welcome code is spent"), again.answer());
  }

  @Test
  void aWelcomeCodeOlderThanTwentySecondsIsNotEvenTried() {
    WelcomeMessage stale = new WelcomeMessage(wecom.messages().issueWelcomeCode(), clock.instant().minusSeconds(20),
        WecomContent.text("欢迎"));
    Delivery d = result(client.sendWelcome(stale, "touch-w2"));
    assertOutcome(Outcome.FAILED, d);
    assertTrue(d.answer().startsWith("welcome code expired"), d.answer());
    assertEquals(0, wecom.requests(WecomClient.SEND_WELCOME_MSG).size());
  }

  @Test
  void aWelcomeIsRetriedOnlyWhileItsCodeIsValid() {
    WelcomeMessage fresh = new WelcomeMessage(wecom.messages().issueWelcomeCode(), clock.instant(), WecomContent.text("欢迎"));
    wecom.answerNext(1, 41096, "welcome msg is being distributed");
    assertOutcome(Outcome.RETRY, result(client.sendWelcome(fresh, "touch-w3")));

    WecomClient another = client(wecom.env()); // no token yet: its send waits for gettoken
    wecom.delayTokens(300);
    wecom.answerNext(1, -1, "system busy");
    Future<Delivery> slow = another.sendWelcome(fresh, "touch-w3");
    clock.advance(Duration.ofSeconds(21)); // passes while the send waits for its token
    Delivery d = result(slow);
    result(another.close());
    assertOutcome(Outcome.FAILED, d);
    assertTrue(d.answer().startsWith("welcome code expired before WeCom took it; last answer: send_welcome_msg "
        + "errcode -1"), d.answer());
  }

  @Test
  void staffNotificationsGoThroughTheSelfBuiltApp() {
    result(client.sendToCustomers(toCustomer("wm1"), "touch-c"));
    Delivery d = result(client.notifyStaff(new StaffNotification(List.of("ZhangSan", "lisi"), "新会员 李雷 加入"), "t-s"));

    assertOutcome(Outcome.SENT, d);
    FakeWecom.Request call = wecom.requests(WecomClient.MESSAGE_SEND).get(0);
    assertEquals(new JsonObject().put("touser", "ZhangSan|lisi").put("msgtype", "text")
        .put("agentid", FakeWecom.AGENT_ID).put("text", new JsonObject().put("content", "新会员 李雷 加入"))
        .put("enable_duplicate_check", 1).put("duplicate_check_interval", 1800), call.body());
    List<String> secrets = wecom.requests("/cgi-bin/gettoken").stream().map(r -> r.query().get("corpsecret")).toList();
    assertEquals(List.of(FakeWecom.CONTACT_SECRET, FakeWecom.AGENT_SECRET), secrets, "one token per app");
    assertNotEquals(wecom.requests(ADD).get(0).token(), call.token());
  }

  @Test
  void staffOutsideTheAppFail() {
    wecom.messages().unknownStaff("ghost");
    Delivery partly = result(client.notifyStaff(new StaffNotification(List.of("lisi", "Ghost"), "hi"), "t-1"));
    assertOutcome(Outcome.SENT, partly);
    assertTrue(partly.answer().endsWith("invaliduser ghost"), partly.answer());

    Delivery none = result(client.notifyStaff(new StaffNotification(List.of("ghost"), "hi"), "t-2"));
    assertOutcome(Outcome.FAILED, none);
    assertEquals("message/send errcode 81013: user & party & tag all invalid", none.answer());
  }

  @Test
  void aWeComThatCannotBeReachedIsRetried() throws Exception {
    wecom.answerHttpNext(1, 502);
    Delivery badGateway = sendToCustomer("wm1");
    assertOutcome(Outcome.RETRY, badGateway);
    assertTrue(badGateway.answer().contains("HTTP 502"), badGateway.answer());

    wecom.expireTokens();
    wecom.delayTokens(3000); // longer than SIYU_WECOM_TIMEOUT_MS
    Delivery timedOut = sendToCustomer("wm2");
    assertOutcome(Outcome.RETRY, timedOut);

    int closedPort = Ports.free();
    WecomClient down = client(Envs.with(wecom.env(), "SIYU_WECOM_API_BASE", "http://127.0.0.1:" + closedPort));
    assertOutcome(Outcome.RETRY, result(down.sendToCustomers(toCustomer("wm3"), "touch-3")));
    result(down.close());
  }

  @Test
  void aWrongSecretFailsAndAMissingAppIsNotConfigured() {
    WecomClient wrong = client(Envs.with(wecom.env(), Map.of("SIYU_WECOM_SECRET", "wrong", "SIYU_WECOM_AGENT_ID", "",
        "SIYU_WECOM_AGENT_SECRET", "")));

    Delivery d = result(wrong.sendToCustomers(toCustomer("wm1"), "touch-1"));
    assertOutcome(Outcome.FAILED, d);
    assertTrue(d.answer().startsWith("gettoken errcode 40001: invalid credential (invalid secret"), d.answer());
    Delivery staff = result(wrong.notifyStaff(new StaffNotification(List.of("lisi"), "hi"), "touch-2"));
    assertOutcome(Outcome.FAILED, staff);
    assertEquals("WeCom staff notifications not configured: set SIYU_WECOM_AGENT_ID and SIYU_WECOM_AGENT_SECRET",
        staff.answer());
    result(wrong.close());
  }
}
