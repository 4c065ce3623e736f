package io.siyu.channel.wecom;

import io.siyu.outbox.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends touches through the WeCom (企业微信) server API: customer messages, welcome messages and
 * staff notifications. Every send answers a {@link Delivery} and never fails its future: SENT,
 * RETRY for what may pass (HTTP errors, timeouts, errcodes -1, 45009, 45033 and, for a welcome,
 * 41096; the answer ends in {@code "retry after N s)"}), FAILED for every other errcode, with the
 * errcode and errmsg.
 *
 * <p>Access tokens are cached per secret and refreshed when WeCom refuses one (errcode 40014 or
 * 42001), after which the call is made once more, and only once.
 *
 * <p>Idempotency: none of these APIs takes a request id, so the touch key is only logged. What
 * protects against a second delivery is WeCom itself: a welcome code is accepted once, and
 * message/send drops a request identical to one it took in the last 30 minutes
 * ({@link StaffNotification#DUPLICATE_CHECK_SECONDS}). A customer message retried after a lost
 * answer can create a second task for the sender to confirm.
 */
public final class WecomClient implements io.siyu.channel.ProviderClient {
  private static final Logger log = LoggerFactory.getLogger(WecomClient.class);
  static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
  static final String SEND_WELCOME_MSG = "/cgi-bin/externalcontact/send_welcome_msg";
  static final String MESSAGE_SEND = "/cgi-bin/message/send";

  private final WecomSettings settings;
  private final WecomApi api;
  private final Clock clock;
  private final AccessTokens contactTokens;
  private final AccessTokens agentTokens;

  WecomClient(Vertx vertx, WecomSettings settings, Clock clock) {
    this.settings = settings;
    this.api = new WecomApi(vertx, settings);
    this.clock = clock;
    this.contactTokens = settings.customerContactConfigured()
        ? new AccessTokens(api, settings.corpId(), settings.contactSecret(), clock) : null;
    this.agentTokens = settings.agentConfigured()
        ? new AccessTokens(api, settings.corpId(), settings.agentSecret(), clock) : null;
  }

  public static WecomClient create(Vertx vertx, WecomSettings settings) {
    return new WecomClient(vertx, settings, Clock.systemUTC());
  }

  /** The most requests a second the dispatcher should send through WeCom ({@code SIYU_WECOM_RATE_PER_SECOND}). */
  @Override
  public int ratePerSecond() {
    return settings.ratePerSecond();
  }

  /** {@code externalcontact/add_msg_template}: SENT once WeCom created the task for the sender. */
  public Future<Delivery> sendToCustomers(CustomerMessage message, String idempotencyKey) {
    if (contactTokens == null) {
      return notConfigured("customer messages", "SIYU_WECOM_SECRET");
    }
    log.debug("WeCom customer message for touch {}", idempotencyKey);
    return deliver("add_msg_template", call(contactTokens, ADD_MSG_TEMPLATE, message.request()),
        answer -> WecomAnswers.sentToCustomers(answer, message.externalUserIds()));
  }

  /**
   * {@code externalcontact/send_welcome_msg}, at once: a code past {@link WelcomeMessage#CODE_VALIDITY}
   * is FAILED without a call, and a transient error once the code has run out is FAILED too.
   */
  public Future<Delivery> sendWelcome(WelcomeMessage message, String idempotencyKey) {
    if (contactTokens == null) {
      return notConfigured("welcome messages", "SIYU_WECOM_SECRET");
    }
    if (message.codeExpired(clock.instant())) {
      return Future.succeededFuture(Delivery.failed("welcome code expired: WeCom accepts it for "
          + WelcomeMessage.CODE_VALIDITY.toSeconds() + " s after the add event, received at " + message.codeReceivedAt()));
    }
    log.debug("WeCom welcome message for touch {}", idempotencyKey);
    return deliver("send_welcome_msg", call(contactTokens, SEND_WELCOME_MSG, message.request()),
        answer -> Delivery.sent("send_welcome_msg ok"))
        .map(d -> d.outcome() == Delivery.Outcome.RETRY && message.codeExpired(clock.instant())
            ? Delivery.failed("welcome code expired before WeCom took it; last answer: " + d.answer()) : d);
  }

  /** {@code message/send} from the self-built app: a text to staff members. */
  public Future<Delivery> notifyStaff(StaffNotification message, String idempotencyKey) {
    if (agentTokens == null) {
      return notConfigured("staff notifications", "SIYU_WECOM_AGENT_ID and SIYU_WECOM_AGENT_SECRET");
    }
    log.debug("WeCom staff notification for touch {}", idempotencyKey);
    return deliver("message/send", call(agentTokens, MESSAGE_SEND, message.request(settings.agentId())),
        answer -> WecomAnswers.sentToStaff(answer, message.userIds()));
  }

  // ---- customer group chats and corp tags (change_external_chat, change_external_tag) ------------

  static final String GROUPCHAT_GET = "/cgi-bin/externalcontact/groupchat/get";
  static final String GET_CORP_TAG_LIST = "/cgi-bin/externalcontact/get_corp_tag_list";
  static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";

  /** Whether the customer-contact secret is set, so the externalcontact APIs can be called at all. */
  public boolean customerContactConfigured() {
    return contactTokens != null;
  }

  /** {@code externalcontact/groupchat/get} with names: the chat's {@code group_chat} object. */
  public Future<JsonObject> groupChat(String chatId) {
    return externalContact("groupchat/get", GROUPCHAT_GET, new JsonObject().put("chat_id", chatId).put("need_name", 1))
        .map(answer -> answer.getJsonObject("group_chat", new JsonObject()));
  }

  /**
   * {@code externalcontact/get_corp_tag_list}: the {@code tag_group} list for these tags or groups
   * (WeCom ignores the tag ids when group ids are given; neither means every group).
   */
  public Future<JsonArray> corpTags(List<String> tagIds, List<String> groupIds) {
    JsonObject body = new JsonObject();
    if (!tagIds.isEmpty()) {
      body.put("tag_id", new JsonArray(tagIds));
    }
    if (!groupIds.isEmpty()) {
      body.put("group_id", new JsonArray(groupIds));
    }
    return externalContact("get_corp_tag_list", GET_CORP_TAG_LIST, body)
        .map(answer -> answer.getJsonArray("tag_group", new JsonArray()));
  }

  /** {@code externalcontact/mark_tag}: the staff member {@code userId} adds and removes corp tags on a customer. */
  public Future<Void> markTag(String userId, String externalUserId, List<String> add, List<String> remove) {
    JsonObject body = new JsonObject().put("userid", userId).put("external_userid", externalUserId);
    if (!add.isEmpty()) {
      body.put("add_tag", new JsonArray(add));
    }
    if (!remove.isEmpty()) {
      body.put("remove_tag", new JsonArray(remove));
    }
    return externalContact("mark_tag", MARK_TAG, body).mapEmpty();
  }

  /**
   * A call with the customer-contact token whose answer is used only when its errcode is 0; any
   * other answer fails with {@link CallFailed}, transient or not by the same rules as a touch.
   */
  private Future<JsonObject> externalContact(String api, String path, JsonObject body) {
    if (contactTokens == null) {
      return Future.failedFuture(new CallFailed("WeCom " + api + " not configured: set SIYU_WECOM_SECRET", false));
    }
    return call(contactTokens, path, body).transform(done -> {
      if (done.succeeded() && WecomAnswers.errcode(done.result()) == 0) {
        return Future.succeededFuture(done.result());
      }
      Delivery verdict = done.succeeded() ? WecomAnswers.error(api, done.result()) : WecomAnswers.failure(api, done.cause());
      return Future.failedFuture(new CallFailed(verdict.answer(), verdict.outcome() == Delivery.Outcome.RETRY));
    });
  }

  /** A WeCom call that did not succeed: {@code retriable} when another try later may pass. */
  public static final class CallFailed extends RuntimeException {
    private final boolean retriable;

    CallFailed(String message, boolean retriable) {
      super(message, null, false, false);
      this.retriable = retriable;
    }

    public boolean retriable() {
      return retriable;
    }
  }

  @Override
  public Future<Void> close() {
    api.close();
    return Future.succeededFuture();
  }

  /**
   * POSTs with the app's token; when WeCom refuses the token, drops it and POSTs once more with a
   * fresh one. A second refusal is the answer: a loop here could hold a send forever.
   */
  private Future<JsonObject> call(AccessTokens tokens, String path, JsonObject body) {
    return tokens.get().compose(token -> api.post(path, token, body).compose(answer -> {
      if (!WecomAnswers.tokenRefused(answer)) {
        return Future.succeededFuture(answer);
      }
      tokens.reject(token);
      return tokens.get().compose(fresh -> api.post(path, fresh, body).onSuccess(second -> {
        if (WecomAnswers.tokenRefused(second)) {
          tokens.reject(fresh);
        }
      }));
    }));
  }

  private static Future<Delivery> deliver(String api, Future<JsonObject> call, Function<JsonObject, Delivery> onOk) {
    return call.map(answer -> WecomAnswers.errcode(answer) == 0 ? onOk.apply(answer) : WecomAnswers.error(api, answer))
        .otherwise(error -> WecomAnswers.failure(api, error));
  }

  private static Future<Delivery> notConfigured(String what, String variables) {
    return Future.succeededFuture(Delivery.failed("WeCom " + what + " not configured: set " + variables));
  }
}
