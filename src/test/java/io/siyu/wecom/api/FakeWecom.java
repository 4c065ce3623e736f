package io.siyu.wecom.api;

import io.siyu.channel.LoopbackHttp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WeCom server API on loopback, for the endpoints Siyu uses, with WeCom's request and answer
 * shapes: {@code gettoken} issues a token per app (the same one again while it is valid), the
 * externalcontact APIs take only the customer-contact app's token and {@code message/send} only
 * the self-built app's. A test can expire the tokens issued so far (42001 from then on), script
 * errcodes or HTTP errors for the next calls, and read every request.
 */
public final class FakeWecom implements AutoCloseable {
  public static final String CORP_ID = "ww-fake-corp";
  public static final String CONTACT_SECRET = "contact-secret-0001";
  static final String AGENT_SECRET = "agent-secret-0002";
  static final int AGENT_ID = 1000002;

  /** One request as WeCom saw it; {@code body} is null for a GET. */
  public record Request(String method, String path, Map<String, String> query, JsonObject body) {
    public String token() {
      return query.get("access_token");
    }
  }

  private record Token(String secret, Instant expiresAt) {}

  private final LoopbackHttp http = new LoopbackHttp(this::handle);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> currentTokenBySecret = new ConcurrentHashMap<>();
  private final Map<String, Boolean> welcomeCodes = new ConcurrentHashMap<>();
  private final Set<String> unreachableCustomers = ConcurrentHashMap.newKeySet();
  private final Set<String> unknownStaff = ConcurrentHashMap.newKeySet();
  private final Map<String, java.util.function.BiFunction<Map<String, String>, JsonObject, JsonObject>> served =
      new ConcurrentHashMap<>();
  private final Deque<JsonObject> scriptedErrors = new ArrayDeque<>();
  private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
  private final AtomicInteger serial = new AtomicInteger();
  private volatile Duration tokenLifetime = Duration.ofSeconds(7200);
  private volatile long tokenDelayMs;

  /**
   * Answers one more WeCom API (a path such as {@code /cgi-bin/externalcontact/get}) after the
   * token check and any scripted error, from its query parameters and JSON body (null for a GET).
   * Tests of other features teach the fake the APIs they use this way.
   */
  public void serve(String path, java.util.function.BiFunction<Map<String, String>, JsonObject, JsonObject> answer) {
    served.put(path, answer);
  }

  /** The client's environment for this fake: both apps configured. */
  public Map<String, String> env() {
    return Map.of("SIYU_WECOM_API_BASE", http.url(), "SIYU_WECOM_CORP_ID", CORP_ID,
        "SIYU_WECOM_SECRET", CONTACT_SECRET, "SIYU_WECOM_AGENT_ID", Integer.toString(AGENT_ID),
        "SIYU_WECOM_AGENT_SECRET", AGENT_SECRET, "SIYU_WECOM_TIMEOUT_MS", "2000");
  }

  void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Holds every {@code gettoken} answer back, so sends that need a token pile up behind the first fetch. */
  void delayTokens(long ms) {
    tokenDelayMs = ms;
  }

  /** Every token issued so far is answered with 42001 from now on, as when WeCom ends a token early. */
  public void expireTokens() {
    tokens.replaceAll((value, token) -> new Token(token.secret(), Instant.EPOCH));
  }

  /** The next {@code calls} API calls (not {@code gettoken}) are answered with this errcode. */
  public synchronized void answerNext(int calls, int errcode, String errmsg) {
    for (int i = 0; i < calls; i++) {
      scriptedErrors.add(new JsonObject().put("errcode", errcode).put("errmsg", errmsg));
    }
  }

  /** The next {@code count} requests of any kind get this HTTP status and an HTML page, as from a broken gateway. */
  synchronized void answerHttpNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      scriptedStatuses.add(status);
    }
  }

  /** A welcome code as the add-customer event carries it, good for one send. */
  public String issueWelcomeCode() {
    String code = "WELCOME-" + serial.incrementAndGet();
    welcomeCodes.put(code, false);
    return code;
  }

  void unreachableCustomer(String externalUserId) {
    unreachableCustomers.add(externalUserId);
  }

  void unknownStaff(String userId) {
    unknownStaff.add(userId.toLowerCase(Locale.ROOT));
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  int tokenFetches() {
    return requests("/cgi-bin/gettoken").size();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      Map<String, String> query = new HashMap<>();
      req.params().forEach(query::put);
      JsonObject body = buffer.length() == 0 ? null : buffer.toJsonObject();
      requests.add(new Request(req.method().name(), req.path(), query, body));
      Integer status = nextScripted(scriptedStatuses);
      if (status != null) {
        req.response().setStatusCode(status).end("<html><body>" + status + " Bad Gateway</body></html>");
      } else if (req.path().equals("/cgi-bin/gettoken")) {
        JsonObject answer = getToken(query);
        http.vertx().setTimer(Math.max(1, tokenDelayMs), t -> json(req, answer));
      } else {
        json(req, api(req.path(), query, body));
      }
    });
  }

  private JsonObject getToken(Map<String, String> query) {
    if (!CORP_ID.equals(query.get("corpid"))) {
      return error(40013, "invalid corpid");
    }
    String secret = query.get("corpsecret");
    if (!CONTACT_SECRET.equals(secret) && !AGENT_SECRET.equals(secret)) {
      return error(40001, "invalid credential");
    }
    // WeCom hands out the same token again while it is valid
    String value = currentTokenBySecret.compute(secret, (s, current) -> current != null
        && tokens.get(current).expiresAt().isAfter(Instant.now()) ? current : "token-" + serial.incrementAndGet());
    tokens.putIfAbsent(value, new Token(secret, Instant.now().plus(tokenLifetime)));
    return ok().put("access_token", value).put("expires_in", tokenLifetime.toSeconds());
  }

  private JsonObject api(String path, Map<String, String> query, JsonObject body) {
    String accessToken = query.get("access_token");
    JsonObject scripted = nextScripted(scriptedErrors);
    if (scripted != null) {
      return scripted;
    }
    JsonObject refused = checkToken(path, accessToken);
    if (refused != null) {
      return refused;
    }
    return switch (path) {
      case WecomClient.ADD_MSG_TEMPLATE -> addMsgTemplate(body);
      case WecomClient.SEND_WELCOME_MSG -> sendWelcomeMsg(body);
      case WecomClient.MESSAGE_SEND -> messageSend(body);
      default -> served.containsKey(path) ? served.get(path).apply(query, body) : error(404, "unknown api " + path);
    };
  }

  private JsonObject checkToken(String path, String accessToken) {
    Token token = accessToken == null ? null : tokens.get(accessToken);
    if (accessToken == null) {
      return error(41001, "access_token missing");
    } else if (token == null) {
      return error(40014, "invalid access_token");
    } else if (!token.expiresAt().isAfter(Instant.now())) {
      return error(42001, "access_token expired");
    }
    String needed = path.startsWith("/cgi-bin/externalcontact/") ? CONTACT_SECRET : AGENT_SECRET;
    return token.secret().equals(needed) ? null : error(48002, "api forbidden");
  }

  private JsonObject addMsgTemplate(JsonObject body) {
    JsonArray recipients = body.getJsonArray("external_userid", new JsonArray());
    if (!"single".equals(body.getString("chat_type", "single")) || recipients.isEmpty()
        || body.getString("sender") == null || !hasContent(body)) {
      return error(40058, "invalid parameter");
    }
    JsonArray failList = new JsonArray(recipients.stream().filter(unreachableCustomers::contains).toList());
    return ok().put("fail_list", failList).put("msgid", "msg-" + serial.incrementAndGet());
  }

  private JsonObject sendWelcomeMsg(JsonObject body) {
    String code = body.getString("welcome_code");
    if (code == null || !welcomeCodes.containsKey(code) || !hasContent(body)) {
      return error(40058, "invalid parameter: welcome_code");
    }
    if (welcomeCodes.put(code, true)) {
      return error(41051, "externaluser has started chatting");
    }
    return ok();
  }

  private JsonObject messageSend(JsonObject body) {
    if (!Integer.valueOf(AGENT_ID).equals(body.getInteger("agentid"))) {
      return error(40056, "invalid agentid");
    }
    if (!"text".equals(body.getString("msgtype")) || body.getJsonObject("text") == null) {
      return error(40008, "invalid message type");
    }
    List<String> users = List.of(body.getString("touser", "").toLowerCase(Locale.ROOT).split("\\|"));
    List<String> invalid = users.stream().filter(unknownStaff::contains).toList();
    if (invalid.size() == users.size()) {
      return error(81013, "user & party & tag all invalid");
    }
    return ok().put("invaliduser", String.join("|", invalid)).put("msgid", "msg-" + serial.incrementAndGet());
  }

  private static boolean hasContent(JsonObject body) {
    JsonObject text = body.getJsonObject("text");
    return text != null && text.getString("content") != null || !body.getJsonArray("attachments", new JsonArray()).isEmpty();
  }

  private synchronized <T> T nextScripted(Deque<T> script) {
    return script.poll();
  }

  /** WeCom's success answer, for {@link #serve} answers to extend. */
  public static JsonObject ok() {
    return new JsonObject().put("errcode", 0).put("errmsg", "ok");
  }

  public static JsonObject error(int errcode, String errmsg) {
    return new JsonObject().put("errcode", errcode).put("errmsg", errmsg);
  }

  private static void json(HttpServerRequest req, JsonObject answer) {
    req.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(Buffer.buffer(answer.encode()));
  }

  @Override
  public void close() {
    http.close();
  }
}
