package io.siyu.wecom.api;

import io.siyu.outbox.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Besides sending, the customer-contact app reads customers ({@code externalcontact/get}) and
 * manages channel QR codes ({@code add_contact_way}, {@code del_contact_way}). These calls answer
 * WeCom's JSON or fail with {@link CallFailed}; at most {@code SIYU_WECOM_RATE_PER_SECOND} of them
 * start each second on this instance, and one that WeCom answers as busy, or that gets no answer, is
 * tried up to {@link #CALL_ATTEMPTS} times with a short backoff before it fails.
 */
public final class WecomClient implements io.siyu.channel.ProviderClient {
  private static final Logger log = LoggerFactory.getLogger(WecomClient.class);
  public static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
  public static final String SEND_WELCOME_MSG = "/cgi-bin/externalcontact/send_welcome_msg";
  static final String MESSAGE_SEND = "/cgi-bin/message/send";
  public static final String EXTERNALCONTACT_GET = "/cgi-bin/externalcontact/get";
  public static final String ADD_CONTACT_WAY = "/cgi-bin/externalcontact/add_contact_way";
  public static final String DEL_CONTACT_WAY = "/cgi-bin/externalcontact/del_contact_way";
  public static final String GROUPCHAT_GET = "/cgi-bin/externalcontact/groupchat/get";
  public static final String GET_CORP_TAG_LIST = "/cgi-bin/externalcontact/get_corp_tag_list";
  public static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";
  /** Tries of a read or management call before it fails; the waits between them are 250 ms and 1 s. */
  public static final int CALL_ATTEMPTS = 3;
  private static final long FIRST_BACKOFF_MS = 250;

  private final WecomSettings settings;
  private final WecomApi api;
  private final Clock clock;
  private final AccessTokens contactTokens;
  private final AccessTokens agentTokens;
  private final Vertx vertx;
  private final Pacer pacer;

  WecomClient(Vertx vertx, WecomSettings settings, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.pacer = new Pacer(settings.ratePerSecond(), clock);
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

  /** Whether the customer-contact secret is set: the externalcontact APIs need it. */
  public boolean customerContactConfigured() {
    return contactTokens != null;
  }

  /**
   * {@code GET externalcontact/get}: the customer's profile ({@code external_contact}) and the staff
   * members who have them as a customer ({@code follow_user}), as WeCom answers them.
   */
  public Future<JsonObject> externalContact(String externalUserId) {
    return managed("externalcontact/get",
        token -> api.get(EXTERNALCONTACT_GET, token, Map.of("external_userid", externalUserId)));
  }

  /**
   * {@code externalcontact/add_contact_way}: a 「联系我」 way (a channel QR code) as the request
   * describes it; WeCom answers its {@code config_id} and, for scene 2, its {@code qr_code} URL.
   */
  public Future<JsonObject> addContactWay(JsonObject request) {
    return managed("add_contact_way", token -> api.post(ADD_CONTACT_WAY, token, request));
  }

  /** {@code externalcontact/del_contact_way}: the way stops working; customers it brought stay. */
  public Future<Void> deleteContactWay(String configId) {
    JsonObject request = new JsonObject().put("config_id", configId);
    return managed("del_contact_way", token -> api.post(DEL_CONTACT_WAY, token, request)).mapEmpty();
  }

  /**
   * A read or management call of the customer-contact app, paced and retried (see the class
   * comment); the answer when its errcode is 0, else {@link CallFailed} with what the errcode means.
   */
  private Future<JsonObject> managed(String apiName, Function<String, Future<JsonObject>> request) {
    if (contactTokens == null) {
      return Future.failedFuture(new CallFailed(apiName, null, false,
          "WeCom customer contact not configured: set SIYU_WECOM_SECRET"));
    }
    return attempt(apiName, request, 1);
  }

  private Future<JsonObject> attempt(String apiName, Function<String, Future<JsonObject>> request, int attempt) {
    return pacer.slot(vertx).compose(v -> call(contactTokens, request)).transform(ar -> {
      if (ar.succeeded() && WecomAnswers.errcode(ar.result()) == 0) {
        return Future.succeededFuture(ar.result());
      }
      CallFailed failure = ar.succeeded()
          ? CallFailed.of(apiName, WecomAnswers.errcode(ar.result()), WecomAnswers.error(apiName, ar.result()))
          : CallFailed.of(apiName, ar.cause() instanceof WecomError e ? e.errcode() : null,
              WecomAnswers.failure(apiName, ar.cause()));
      if (!failure.retryable() || attempt >= CALL_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      long backoff = FIRST_BACKOFF_MS << (2 * (attempt - 1));
      log.debug("WeCom {} failed ({}), try {} of {} in {} ms", apiName, failure.getMessage(), attempt + 1,
          CALL_ATTEMPTS, backoff);
      io.vertx.core.Promise<Void> wait = io.vertx.core.Promise.promise();
      vertx.setTimer(backoff, t -> wait.complete());
      return wait.future().compose(v -> attempt(apiName, request, attempt + 1));
    });
  }

  /** {@code externalcontact/groupchat/get} with names: the chat's {@code group_chat} object. */
  public Future<JsonObject> groupChat(String chatId) {
    JsonObject request = new JsonObject().put("chat_id", chatId).put("need_name", 1);
    return managed("groupchat/get", token -> api.post(GROUPCHAT_GET, token, request))
        .map(answer -> answer.getJsonObject("group_chat", new JsonObject()));
  }

  /**
   * {@code externalcontact/get_corp_tag_list}: the {@code tag_group} list for these tags or groups
   * (WeCom ignores the tag ids when group ids are given; neither means every group).
   */
  public Future<JsonArray> corpTags(List<String> tagIds, List<String> groupIds) {
    JsonObject request = new JsonObject();
    if (!tagIds.isEmpty()) {
      request.put("tag_id", new JsonArray(tagIds));
    }
    if (!groupIds.isEmpty()) {
      request.put("group_id", new JsonArray(groupIds));
    }
    return managed("get_corp_tag_list", token -> api.post(GET_CORP_TAG_LIST, token, request))
        .map(answer -> answer.getJsonArray("tag_group", new JsonArray()));
  }

  /** {@code externalcontact/mark_tag}: the staff member {@code userId} adds and removes corp tags on a customer. */
  public Future<Void> markTag(String userId, String externalUserId, List<String> add, List<String> remove) {
    JsonObject request = new JsonObject().put("userid", userId).put("external_userid", externalUserId);
    if (!add.isEmpty()) {
      request.put("add_tag", new JsonArray(add));
    }
    if (!remove.isEmpty()) {
      request.put("remove_tag", new JsonArray(remove));
    }
    return managed("mark_tag", token -> api.post(MARK_TAG, token, request)).mapEmpty();
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
    return call(tokens, token -> api.post(path, token, body));
  }

  /** The same for any request made with a token: {@code request} is run again with the fresh one. */
  private Future<JsonObject> call(AccessTokens tokens, Function<String, Future<JsonObject>> request) {
    return tokens.get().compose(token -> request.apply(token).compose(answer -> {
      if (!WecomAnswers.tokenRefused(answer)) {
        return Future.succeededFuture(answer);
      }
      tokens.reject(token);
      return tokens.get().compose(fresh -> request.apply(fresh).onSuccess(second -> {
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

  /**
   * A read or management call that did not succeed: WeCom's {@code errcode} (null when no JSON answer
   * came, or when Siyu is not configured for it) and whether a later try may pass (WeCom busy or
   * unreachable); the message says what the errcode means.
   */
  public static final class CallFailed extends RuntimeException {
    private final String api;
    private final Integer errcode;
    private final boolean retryable;

    CallFailed(String api, Integer errcode, boolean retryable, String message) {
      super(message, null, false, false);
      this.api = api;
      this.errcode = errcode;
      this.retryable = retryable;
    }

    /** From the {@link Delivery} the same answer would be for a send: the errcode rules are one table. */
    static CallFailed of(String api, Integer errcode, Delivery meaning) {
      return new CallFailed(api, errcode, meaning.outcome() == Delivery.Outcome.RETRY, meaning.answer());
    }

    public String api() {
      return api;
    }

    public Integer errcode() {
      return errcode;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  /**
   * At most {@code perSecond} calls start in each wall-clock second on this instance; a call over
   * that waits for the next second. WeCom counts calls per minute and per corp, so an even pace
   * keeps a burst of callbacks (a QR code on a poster) from spending the minute in seconds.
   */
  static final class Pacer {
    private final int perSecond;
    private final Clock clock;
    private long second;
    private int used;

    Pacer(int perSecond, Clock clock) {
      this.perSecond = perSecond;
      this.clock = clock;
    }

    Future<Void> slot(Vertx vertx) {
      long wait = waitMillis();
      if (wait == 0) {
        return Future.succeededFuture();
      }
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(wait, t -> later.complete());
      return later.future().compose(v -> slot(vertx));
    }

    /** 0 when a call may start now (and counts it), else how long until the next second begins. */
    synchronized long waitMillis() {
      long now = clock.millis();
      if (now / 1000 != second) {
        second = now / 1000;
        used = 0;
      }
      if (used < perSecond) {
        used++;
        return 0;
      }
      return Math.max(1, 1000 - now % 1000);
    }
  }
}
