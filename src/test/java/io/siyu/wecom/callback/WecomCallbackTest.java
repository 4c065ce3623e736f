package io.siyu.wecom.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Await;
import io.siyu.support.Envs;
import io.siyu.support.Eventually;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The callback endpoint and its inbox over real HTTP on a real database: URL verification,
 * callbacks stored before they are answered and handled once, every way a request is refused
 * (nothing stored), retries, parking and an admin's replay.
 */
class WecomCallbackTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(env());

  private static final WecomCallbacks callbacks = new WecomCallbacks(FakeWecom.CORP_ID);

  private static Map<String, String> env() {
    return Envs.with(WecomCallbacks.env(wecom.env()), Map.of("SIYU_WECOM_CALLBACK_ATTEMPTS", "3",
        "SIYU_WECOM_CALLBACK_RETRY_MS", "50", "SIYU_WECOM_CALLBACK_POLL_MS", "50"));
  }

  /** A handler for a made-up event, doing what {@code behaviour} says and counting its calls. */
  private static final class TestHandler implements CallbackHandler {
    final String event = "siyu_test_" + UUID.randomUUID().toString().substring(0, 8);
    final AtomicInteger calls = new AtomicInteger();
    final List<WecomCallback> seen = Collections.synchronizedList(new ArrayList<>());
    volatile Function<WecomCallback, Future<Void>> behaviour;

    TestHandler(Function<WecomCallback, Future<Void>> behaviour) {
      this.behaviour = behaviour;
      server.siyu().services().wecomCallbacks().register(this);
    }

    @Override
    public String event() {
      return event;
    }

    @Override
    public Future<Void> handle(WecomCallback callback) {
      calls.incrementAndGet();
      seen.add(callback);
      return behaviour.apply(callback);
    }
  }

  private static long storedCount() {
    return Await.result(server.siyu().services().pool().query("SELECT count(*) FROM wecom_callbacks").execute())
        .iterator().next().getLong(0);
  }

  private static void assertSuccess(Api.Reply reply) {
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("success", reply.body());
  }

  @Test
  void urlVerificationAnswersTheDecryptedEchostr() {
    Api.Reply reply = callbacks.verify(server.api(), "1616140317555161061");
    assertEquals(200, reply.status(), reply.toString());
    assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
    assertEquals("1616140317555161061", reply.body());

    Api.Reply forged = new WecomCallbacks("ww-another-corp").verify(server.api(), "1616140317555161061");
    assertEquals(401, forged.status(), forged.toString());
    Api.Reply missing = server.api().get("/webhooks/wecom?msg_signature=abc&timestamp=1&nonce=2");
    assertEquals(400, missing.status(), missing.toString());
    assertEquals("application/problem+json", missing.contentType());
  }

  @Test
  void aCallbackIsStoredBeforeItIsAnsweredAndHandledOnceThoughWecomRetries() {
    TestHandler handler = new TestHandler(c -> Future.succeededFuture());
    String message = WecomCallbacks.event(handler.event, "add_external_contact",
        Map.of("UserID", "zhangsan", "ExternalUserID", "wm-once", "WelcomeCode", "CALLBACK_CODE"));

    assertSuccess(callbacks.post(server.api(), message));
    // stored before the answer: the row is there the moment "success" is
    assertEquals(1, WecomCallbacks.stored(server.api(), handler.event).size());
    // WeCom's retry: the same message, encrypted and signed again
    assertSuccess(callbacks.post(server.api(), message));

    JsonObject done = WecomCallbacks.await(server.api(), handler.event, "done");
    assertEquals(1, handler.calls.get(), "handled once");
    assertEquals(1, done.getInteger("attempts"));
    assertEquals("add_external_contact", done.getString("change_type"));
    assertEquals("wm-once", done.getJsonObject("fields").getString("ExternalUserID"));
    assertNotNull(done.getString("done_at"));
    WecomCallback seen = handler.seen.get(0);
    assertEquals(done.getLong("id"), seen.id());
    assertEquals(handler.event, seen.event());
    assertEquals("add_external_contact", seen.changeType());
    assertEquals("CALLBACK_CODE", seen.field("WelcomeCode"));

    JsonObject detail = server.api().get("/api/v1/wecom/callbacks/" + done.getLong("id")).json();
    assertEquals(message, detail.getString("message"));
    assertEquals(1, WecomCallbacks.stored(server.api(), handler.event).size());
  }

  @Test
  void anEventWithoutAHandlerIsDoneWithANote() {
    String event = "siyu_test_unhandled_" + UUID.randomUUID().toString().substring(0, 8);
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(event, null, Map.of())));
    JsonObject done = WecomCallbacks.await(server.api(), event, "done");
    assertEquals("no handler for event " + event, done.getString("note"));
  }

  @Test
  void refusedCallbacksAreProblemsAndStoreNothing() throws Exception {
    Path secret = Files.createTempFile("siyu-xxe", ".txt");
    String marker = "siyu-secret-" + UUID.randomUUID();
    Files.writeString(secret, marker);
    String message = WecomCallbacks.event("siyu_test_refused", null, Map.of("ExternalUserID", "wm-refused"));
    long now = System.currentTimeMillis() / 1000;
    long before = storedCount();
    List<Api.Reply> refused = new ArrayList<>();

    WecomCallbacks.Signed good = callbacks.signed(message);
    String forgedQuery = good.query().replaceFirst("msg_signature=[0-9a-f]{40}", "msg_signature=" + "0".repeat(40));
    refused.add(expect(401, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed(forgedQuery, good.body()))));
    // keys right, but sealed for another corp
    refused.add(expect(401, new WecomCallbacks("ww-another-corp").post(server.api(), message)));
    // authentic, but outside the replay window either way
    refused.add(expect(401, WecomCallbacks.post(server.api(), callbacks.signed(message, now - 400))));
    refused.add(expect(401, WecomCallbacks.post(server.api(), callbacks.signed(message, now + 400))));
    // signed, but not something our key decrypts
    refused.add(expect(400, WecomCallbacks.post(server.api(),
        callbacks.envelope(Base64.getEncoder().encodeToString(new byte[48]), now))));
    refused.add(expect(400, WecomCallbacks.post(server.api(), callbacks.envelope("not base64!", now))));
    // XXE in the envelope, and in a properly sealed message: an external entity naming a local file
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>";
    WecomCallbacks.Signed sealed = callbacks.signed(message);
    refused.add(expect(400, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed(sealed.query(),
        xxe + sealed.body().replace("<ToUserName><![CDATA[siyu-test]]>", "<ToUserName>&xxe;")))));
    refused.add(expect(400, callbacks.post(server.api(), xxe + message.replace("<FromUserName><![CDATA[sys]]>",
        "<FromUserName>&xxe;"))));
    // billion laughs, sealed
    StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
          .append("\">");
    }
    laughs.append("]><xml><MsgType>event</MsgType><Event>siyu_test_refused</Event><Content>&lol9;</Content></xml>");
    refused.add(expect(400, callbacks.post(server.api(), laughs.toString())));
    // a body over the limit, and bodies that are not callbacks
    String huge = good.body().replace("<AgentID>", "<Padding>" + "x".repeat(200 * 1024) + "</Padding><AgentID>");
    refused.add(expect(413, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed(good.query(), huge))));
    refused.add(expect(400, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed(good.query(), "{\"json\": true}"))));
    refused.add(expect(400, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed(good.query(), "<xml></xml>"))));
    refused.add(expect(400, WecomCallbacks.post(server.api(), new WecomCallbacks.Signed("", good.body()))));

    for (Api.Reply r : refused) {
      assertEquals("application/problem+json", r.contentType(), r.toString());
      assertFalse(r.body().contains(marker), "the local file leaked: " + r);
    }
    assertEquals(before, storedCount(), "a refused callback stores nothing");
    // the same message, sent properly, is taken
    assertSuccess(WecomCallbacks.post(server.api(), good));
    assertEquals(before + 1, storedCount());
  }

  private static Api.Reply expect(int status, Api.Reply reply) {
    assertEquals(status, reply.status(), reply.toString());
    return reply;
  }

  @Test
  void aFailingHandlerIsRetriedWithBackoffUntilItSucceeds() {
    TestHandler handler = new TestHandler(null);
    handler.behaviour = c -> handler.calls.get() <= 2
        ? Future.failedFuture("WeCom answered errcode -1 (" + handler.calls.get() + ")") : Future.succeededFuture();
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, null, Map.of("ChatId", "wr-flaky"))));

    JsonObject done = WecomCallbacks.await(server.api(), handler.event, "done");
    assertEquals(3, handler.calls.get());
    assertEquals(3, done.getInteger("attempts"));
    assertEquals("WeCom answered errcode -1 (2)", done.getString("last_error"), "the last failure stays on record");
  }

  @Test
  void doneCallbacksAreForgottenAfterTheRetentionAndParkedOnesAreKept() {
    TestHandler handler = new TestHandler(c -> "wm-fails".equals(c.field("ExternalUserID"))
        ? Future.failedFuture("WeCom said no") : Future.succeededFuture());
    for (String user : List.of("wm-old", "wm-recent", "wm-fails")) {
      assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, "edit_external_contact",
          Map.of("ExternalUserID", user))));
    }
    Eventually.await("two done and one parked", () -> WecomCallbacks.stored(server.api(), handler.event).stream()
        .map(c -> c.getString("status")).sorted().toList().equals(List.of("done", "done", "parked")));
    Map<String, Long> ids = new HashMap<>();
    for (JsonObject c : WecomCallbacks.stored(server.api(), handler.event)) {
      ids.put(c.getJsonObject("fields").getString("ExternalUserID"), c.getLong("id"));
    }
    assertEquals(3, ids.size());
    // handled 31 and 29 days ago (the default retention is 30 days); the parked one was stored long ago
    backdate(ids.get("wm-old"), 31);
    backdate(ids.get("wm-recent"), 29);
    backdate(ids.get("wm-fails"), 400);

    long forgotten = Await.result(server.siyu().services().wecomCallbacks().forgetDone());

    assertEquals(1L, forgotten, "only the one handled more than 30 days ago");
    assertEquals(404, server.api().get("/api/v1/wecom/callbacks/" + ids.get("wm-old")).status());
    assertEquals("done", server.api().get("/api/v1/wecom/callbacks/" + ids.get("wm-recent")).json().getString("status"));
    assertEquals("parked", server.api().get("/api/v1/wecom/callbacks/" + ids.get("wm-fails")).json().getString("status"));
    assertEquals(0L, Await.result(server.siyu().services().wecomCallbacks().forgetDone()), "nothing left to forget");
  }

  private static void backdate(long id, int days) {
    Await.result(server.siyu().services().pool().preparedQuery("UPDATE wecom_callbacks SET "
        + "done_at = CASE WHEN done_at IS NULL THEN NULL ELSE now() - make_interval(days => $2) END, "
        + "received_at = now() - make_interval(days => $2) WHERE id = $1").execute(Tuple.of(id, days)));
  }

  @Test
  void aCallbackIsParkedAfterItsLastAttemptAndAnAdminReplaysIt() {
    TestHandler handler = new TestHandler(c -> Future.failedFuture("WeCom said no"));
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, "del_external_contact",
        Map.of("ExternalUserID", "wm-parked"))));

    JsonObject parked = WecomCallbacks.await(server.api(), handler.event, "parked");
    assertEquals(3, parked.getInteger("attempts"));
    assertEquals(3, handler.calls.get());
    assertEquals("WeCom said no", parked.getString("last_error"));
    long id = parked.getLong("id");
    assertTrue(server.api().get("/api/v1/wecom/callbacks?status=parked").items().stream()
        .anyMatch(c -> ((JsonObject) c).getLong("id") == id));

    Api operator = server.as(server.api()
        .post("/api/v1/tokens", new JsonObject().put("name", "operator").put("role", "operator")).json().getString("token"));
    assertEquals(403, operator.post("/api/v1/wecom/callbacks/" + id + "/replay", null).status());
    assertEquals(403, operator.get("/api/v1/wecom/callbacks").status());

    handler.behaviour = c -> Future.succeededFuture();
    Api.Reply replayed = server.api().post("/api/v1/wecom/callbacks/" + id + "/replay", null);
    assertEquals(200, replayed.status(), replayed.toString());
    assertEquals(0, replayed.json().getInteger("attempts"));
    assertTrue(replayed.json().getString("note").startsWith("replayed by "), replayed.toString());

    JsonObject done = WecomCallbacks.await(server.api(), handler.event, "done");
    assertEquals(1, done.getInteger("attempts"));
    assertEquals(4, handler.calls.get());
    assertEquals(404, server.api().post("/api/v1/wecom/callbacks/999999999/replay", null).status());
  }

  @Test
  void aCallbackBeingHandledCannotBeReplayed() {
    Promise<Void> release = Promise.promise();
    TestHandler handler = new TestHandler(c -> release.future());
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, null, Map.of())));
    long id = WecomCallbacks.stored(server.api(), handler.event).get(0).getLong("id");
    for (int i = 0; i < 600 && handler.calls.get() == 0; i++) {
      Eventually.sleep(50);
    }
    Api.Reply conflict = server.api().post("/api/v1/wecom/callbacks/" + id + "/replay", null);
    assertEquals(409, conflict.status(), conflict.toString());
    release.complete();
    WecomCallbacks.await(server.api(), handler.event, "done");
    assertEquals(1, handler.calls.get());
  }

  @Test
  void callbacksAboutOneContactRunInTurnOthersSideBySide() {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Promise<Void> thirdStarted = Promise.promise();
    TestHandler handler = new TestHandler(c -> {
      String step = c.field("Step");
      log.add("start " + step);
      if (step.equals("3")) {
        thirdStarted.tryComplete();
      }
      // the first waits for the third, which is about someone else: run in turn, this would never end
      Future<Void> work = step.equals("1") ? thirdStarted.future() : Future.succeededFuture();
      return work.onSuccess(v -> log.add("end " + step));
    });
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, "edit_external_contact",
        Map.of("ExternalUserID", "wm-a", "Step", "1"))));
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, "del_external_contact",
        Map.of("ExternalUserID", "wm-a", "Step", "2"))));
    assertSuccess(callbacks.post(server.api(), WecomCallbacks.event(handler.event, "add_external_contact",
        Map.of("ExternalUserID", "wm-b", "Step", "3"))));

    for (int i = 0; i < 600 && WecomCallbacks.stored(server.api(), handler.event).stream()
        .anyMatch(c -> !"done".equals(c.getString("status"))); i++) {
      Eventually.sleep(50);
    }
    assertTrue(WecomCallbacks.stored(server.api(), handler.event).stream().allMatch(c -> "done".equals(c.getString("status"))));
    assertEquals(3, handler.calls.get(), log.toString());
    assertTrue(log.indexOf("end 1") < log.indexOf("start 2"), "the second about wm-a waited for the first: " + log);
    assertTrue(log.indexOf("start 3") < log.indexOf("end 1"), "wm-b's did not wait for wm-a's: " + log);
  }

  @Test
  void aClaimsCallbacksOfOneEventGoToTheirHandlerTogetherEachWithItsOwnOutcome() {
    String event = "siyu_test_set_" + UUID.randomUUID().toString().substring(0, 8);
    List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    server.siyu().services().wecomCallbacks().register(new CallbackHandler() {
      @Override
      public String event() {
        return event;
      }

      @Override
      public Future<Void> handle(WecomCallback callback) {
        return handleAll(List.of(callback)).get(0);
      }

      @Override
      public List<Future<Void>> handleAll(List<WecomCallback> callbacks) {
        batches.add(callbacks.stream().map(c -> c.field("Step")).toList());
        return callbacks.stream().map(c -> c.field("Step").equals("bad")
            ? Future.<Void>failedFuture("poison " + c.field("ExternalUserID")) : Future.<Void>succeededFuture()).toList();
      }
    });
    // stored at once and due together a moment later, so one claim takes them all
    List<String> messages = new ArrayList<>();
    for (String[] step : new String[][] {{"1", "wm-x"}, {"2", "wm-y"}, {"bad", "wm-z"}, {"3", "wm-x"}}) {
      messages.add(WecomCallbacks.event(event, "edit_external_contact", Map.of("Step", step[0], "ExternalUserID", step[1])));
    }
    Await.result(server.siyu().services().pool().preparedQuery("INSERT INTO wecom_callbacks (message_hash, event, "
            + "change_type, message, fields, next_attempt_at) SELECT sha256(convert_to(m, 'UTF8')), $1, "
            + "'edit_external_contact', m, f::jsonb, now() + interval '300 milliseconds' "
            + "FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u (m, f, n) ORDER BY n")
        .execute(Tuple.tuple().addValue(event).addValue(messages.toArray(String[]::new))
            .addValue(messages.stream().map(m -> WecomCallback.parse(m).fields().encode()).toArray(String[]::new))));

    List<JsonObject> rows = WecomCallbacks.stored(server.api(), event);
    for (int i = 0; i < 600 && rows.stream().anyMatch(c -> "pending".equals(c.getString("status"))); i++) {
      Eventually.sleep(50);
      rows = WecomCallbacks.stored(server.api(), event);
    }
    assertEquals(List.of("done", "done", "parked", "done"), rows.stream().map(r -> r.getString("status")).toList());
    assertEquals(List.of(1, 1, 3, 1), rows.stream().map(r -> r.getInteger("attempts")).toList(),
        "only the poison one was tried again");
    assertEquals("poison wm-z", rows.get(2).getString("last_error"));
    assertEquals(List.of("1", "2", "bad", "3"), batches.get(0), "one claim, handed over together in arrival order");
    assertEquals(List.of(List.of("1", "2", "bad", "3"), List.of("bad"), List.of("bad")), batches);
  }

  @Test
  void twoInstancesSharingTheDatabaseHandleEachCallbackOnce() throws Exception {
    String event = "siyu_test_shared_" + UUID.randomUUID().toString().substring(0, 8);
    Map<Long, AtomicInteger> handled = new java.util.concurrent.ConcurrentHashMap<>();
    io.siyu.app.Siyu second = server.secondInstance(env());
    try {
      for (io.siyu.app.Siyu siyu : List.of(server.siyu(), second)) {
        siyu.services().wecomCallbacks().register(new CallbackHandler() {
          @Override
          public String event() {
            return event;
          }

          @Override
          public Future<Void> handle(WecomCallback callback) {
            handled.computeIfAbsent(callback.id(), id -> new AtomicInteger()).incrementAndGet();
            return Future.succeededFuture();
          }
        });
      }
      Api other = TestSiyu.as(second, null);
      for (int i = 0; i < 40; i++) {
        assertSuccess(callbacks.post(i % 2 == 0 ? server.api() : other,
            WecomCallbacks.event(event, null, Map.of("ExternalUserID", "wm-shared-" + i))));
      }
      for (int i = 0; i < 600 && WecomCallbacks.stored(server.api(), event).stream()
          .anyMatch(c -> !"done".equals(c.getString("status"))); i++) {
        Eventually.sleep(50);
      }
      List<JsonObject> rows = WecomCallbacks.stored(server.api(), event);
      assertEquals(40, rows.size());
      assertTrue(rows.stream().allMatch(c -> "done".equals(c.getString("status")) && c.getInteger("attempts") == 1), rows.toString());
      assertEquals(40, handled.size());
      assertTrue(handled.values().stream().allMatch(n -> n.get() == 1), "each callback handled once: " + handled);
    } finally {
      TestSiyu.stop(second);
    }
  }

  @Test
  void aBatchWithABadRowStoresTheOthers() {
    InboxWriter writer = server.siyu().services().wecomCallbacks().writer();
    String event = "siyu_test_batch_" + UUID.randomUUID().toString().substring(0, 8);
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      messages.add(WecomCallbacks.event(event, null, Map.of("Id", "tag-" + i)));
    }
    // PostgreSQL text cannot hold NUL: this row fails in the database, whatever the batch around it
    String bad = WecomCallbacks.event(event, null, Map.of("Id", "tag-nul")).replace("tag-nul", "tag\u0000nul");
    List<Future<Void>> stored = new ArrayList<>();
    // in one task of the writer's context: the first goes alone, the rest wait and go as one batch
    Await.result(runOnWriterContext(() -> {
      stored.add(writer.store(messages.get(0), WecomCallback.parse(messages.get(0))));
      stored.add(writer.store(messages.get(1), WecomCallback.parse(messages.get(1))));
      stored.add(writer.store(bad, WecomCallback.parse(messages.get(1))));
      stored.add(writer.store(messages.get(2), WecomCallback.parse(messages.get(2))));
      stored.add(writer.store(messages.get(2), WecomCallback.parse(messages.get(2)))); // a retry in the same batch
      stored.add(writer.store(messages.get(3), WecomCallback.parse(messages.get(3))));
    }));
    Await.result(Future.join(stored).otherwiseEmpty());
    assertTrue(stored.get(2).failed(), "the bad row fails its own request");
    for (int i : new int[] {0, 1, 3, 4, 5}) {
      assertTrue(stored.get(i).succeeded(), "request " + i + ": " + stored.get(i).cause());
    }
    List<JsonObject> rows = WecomCallbacks.stored(server.api(), event);
    assertEquals(List.of("tag-0", "tag-1", "tag-2", "tag-3"),
        rows.stream().map(r -> r.getJsonObject("fields").getString("Id")).toList(), "stored once each, in order");
  }

  /** Runs {@code work} as one task on the context the inbox's writer and processor live on. */
  private static Future<Void> runOnWriterContext(Runnable work) {
    Promise<Void> done = Promise.promise();
    server.siyu().services().wecomCallbacks().context().runOnContext(v -> {
      work.run();
      done.complete();
    });
    return done.future();
  }

  @Test
  void withoutTheCallbackSettingsTheEndpointSaysSo() {
    Api anonymous = TestSiyu.anonymous();
    for (Api.Reply r : List.of(anonymous.get("/webhooks/wecom?msg_signature=a&timestamp=1&nonce=2&echostr=x"),
        anonymous.send(HttpMethod.POST, "/webhooks/wecom?msg_signature=a&timestamp=1&nonce=2", "text/xml",
            Buffer.buffer("<xml><Encrypt>x</Encrypt></xml>")))) {
      assertEquals(404, r.status(), r.toString());
      assertEquals("not-configured", r.problemType());
      assertTrue(r.json().getString("detail").contains("SIYU_WECOM_TOKEN"), r.toString());
    }
  }
}
