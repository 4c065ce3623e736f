package io.siyu.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The WeCom server API on loopback, with WeCom's paths, request and answer shapes and errcodes:
 * {@code gettoken} issues a token per app (the same one again while it is valid), the
 * externalcontact APIs take only the customer-contact app's token and {@code message/send} only
 * the self-built app's. Its parts answer the APIs Siyu uses: {@link FakeWecomMessages} the sends,
 * {@link FakeWecomDirectory} customers, group chats and contact ways, {@link FakeCorpTags} the
 * corp tag library. A test can expire the tokens issued so far (42001 from then on), script
 * errcodes or HTTP errors for the next calls, answer an API its own way with {@link #serve}, and
 * read every request.
 */
public final class FakeWecom implements Fake {
  public static final String CORP_ID = "ww-fake-corp";
  public static final String CONTACT_SECRET = "contact-secret-0001";
  public static final String AGENT_SECRET = "agent-secret-0002";
  public static final int AGENT_ID = 1000002;
  public static final String GETTOKEN = "/cgi-bin/gettoken";

  /** One request as WeCom saw it; {@code body} is null for a GET. */
  public record Request(String method, String path, Map<String, String> query, JsonObject body) {
    public String token() {
      return query.get("access_token");
    }
  }

  /** How an API answers, from the request's query parameters and JSON body (null for a GET). */
  public interface Answer extends BiFunction<Map<String, String>, JsonObject, JsonObject> {}

  private record Token(String secret, Instant expiresAt) {}

  private final LoopbackHttp http = new LoopbackHttp(this::handle);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> currentTokenBySecret = new ConcurrentHashMap<>();
  private final Map<String, Answer> builtIn = new ConcurrentHashMap<>();
  private final Map<String, Answer> served = new ConcurrentHashMap<>();
  private final Deque<JsonObject> scriptedErrors = new ArrayDeque<>();
  private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
  private final AtomicInteger tokenSerial = new AtomicInteger();
  private final FakeWecomMessages messages = new FakeWecomMessages(builtIn::put);
  private final FakeWecomDirectory directory = new FakeWecomDirectory(builtIn::put);
  private final FakeCorpTags corpTags = new FakeCorpTags(builtIn::put);
  private volatile Duration tokenLifetime = Duration.ofSeconds(7200);
  private volatile long tokenDelayMs;

  /** The client's environment for this fake: both apps configured. */
  public Map<String, String> env() {
    return Map.of("SIYU_WECOM_API_BASE", http.url(), "SIYU_WECOM_CORP_ID", CORP_ID,
        "SIYU_WECOM_SECRET", CONTACT_SECRET, "SIYU_WECOM_AGENT_ID", Integer.toString(AGENT_ID),
        "SIYU_WECOM_AGENT_SECRET", AGENT_SECRET, "SIYU_WECOM_TIMEOUT_MS", "2000");
  }

  /**
   * Answers {@code path} (e.g. {@code /cgi-bin/externalcontact/get}) this test's way, after the
   * token check and any scripted error, instead of the fake's own answer or an unknown API's errcode.
   */
  public void serve(String path, Answer answer) {
    served.put(path, answer);
  }

  public FakeWecomMessages messages() {
    return messages;
  }

  public FakeWecomDirectory directory() {
    return directory;
  }

  public FakeCorpTags corpTags() {
    return corpTags;
  }

  /** Tokens issued from now on live this long ({@code expires_in}). */
  public void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Holds every {@code gettoken} answer back, so sends that need a token pile up behind the first fetch. */
  public void delayTokens(long ms) {
    tokenDelayMs = ms;
  }

  /** Every token issued so far is answered with 42001 from now on, as when WeCom ends a token early. */
  public void expireTokens() {
    tokens.replaceAll((value, token) -> new Token(token.secret(), Instant.EPOCH));
  }

  /** The next {@code calls} API calls (not {@code gettoken}) are answered with this errcode. */
  public synchronized void answerNext(int calls, int errcode, String errmsg) {
    for (int i = 0; i < calls; i++) {
      scriptedErrors.add(error(errcode, errmsg));
    }
  }

  /** The next {@code count} requests of any kind get this HTTP status and an HTML page, as from a broken gateway. */
  public synchronized void answerHttpNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      scriptedStatuses.add(status);
    }
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  public int tokenFetches() {
    return requests(GETTOKEN).size();
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
      } else if (req.path().equals(GETTOKEN)) {
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
        && tokens.get(current).expiresAt().isAfter(Instant.now()) ? current : "token-" + tokenSerial.incrementAndGet());
    tokens.putIfAbsent(value, new Token(secret, Instant.now().plus(tokenLifetime)));
    return ok().put("access_token", value).put("expires_in", tokenLifetime.toSeconds());
  }

  private JsonObject api(String path, Map<String, String> query, JsonObject body) {
    JsonObject scripted = nextScripted(scriptedErrors);
    if (scripted != null) {
      return scripted;
    }
    JsonObject refused = checkToken(path, query.get("access_token"));
    if (refused != null) {
      return refused;
    }
    Answer answer = served.getOrDefault(path, builtIn.get(path));
    return answer == null ? error(404, "unknown api " + path) : answer.apply(query, body);
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
