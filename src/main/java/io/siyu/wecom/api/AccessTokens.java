package io.siyu.wecom.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The access token of one WeCom app (one secret): fetched with {@code gettoken}, kept until shortly
 * before its {@code expires_in}, and fetched once however many sends need it at the same moment
 * (WeCom throttles {@code gettoken} itself, and every fetch costs a round trip the sends wait for).
 *
 * <p>Sends may run on several event loops, so the little state here is guarded by this object's
 * lock; nothing blocking happens while it is held.
 */
final class AccessTokens {
  /** Refetch this long before expiry at most, so a token never runs out between fetch and use. */
  private static final Duration MAX_MARGIN = Duration.ofMinutes(5);

  private final WecomApi api;
  private final String corpId;
  private final String secret;
  private final Clock clock;

  private Token current;
  private Future<Token> inFlight;

  private record Token(String value, Instant refreshAt) {}

  AccessTokens(WecomApi api, String corpId, String secret, Clock clock) {
    this.api = api;
    this.corpId = corpId;
    this.secret = secret;
    this.clock = clock;
  }

  /**
   * A token worth using now. Fails with {@link WecomError} when {@code gettoken} answers an errcode
   * (a wrong secret, throttling) and with the transport's error when WeCom cannot be reached.
   */
  synchronized Future<String> get() {
    if (current != null && clock.instant().isBefore(current.refreshAt())) {
      return Future.succeededFuture(current.value());
    }
    if (inFlight == null) {
      Future<Token> fetch = api.getToken(corpId, secret).compose(this::token);
      inFlight = fetch;
      fetch.onComplete(done -> settle(fetch));
    }
    return inFlight.map(Token::value);
  }

  /**
   * WeCom rejected {@code stale}: forget it so the next {@link #get} fetches another. Many sends that
   * were rejected together drop it once; a token fetched since then is kept.
   */
  synchronized void reject(String stale) {
    if (current != null && current.value().equals(stale)) {
      current = null;
    }
  }

  private synchronized void settle(Future<Token> fetch) {
    if (inFlight == fetch) {
      inFlight = null;
      if (fetch.succeeded()) {
        current = fetch.result();
      }
    }
  }

  private Future<Token> token(JsonObject answer) {
    int errcode = WecomAnswers.errcode(answer);
    String value = answer.getString("access_token");
    if (errcode != 0) {
      return Future.failedFuture(new WecomError("gettoken", errcode, answer.getString("errmsg", "")));
    }
    if (value == null || value.isEmpty()) {
      return Future.failedFuture(new WecomApi.WecomUnavailable("gettoken answered without an access_token: " + answer));
    }
    Duration lifetime = Duration.ofSeconds(answer.getLong("expires_in", 7200L));
    Duration margin = lifetime.dividedBy(10).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(10) : MAX_MARGIN;
    return Future.succeededFuture(new Token(value, clock.instant().plus(lifetime).minus(margin)));
  }
}
