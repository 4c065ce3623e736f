package io.siyu.wecom.api;

import io.siyu.channel.Providers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * The HTTP side of the WeCom server API: GETs and POSTs under the API base, answered with the JSON
 * body whatever its {@code errcode} (deciding what an errcode means is {@link WecomAnswers}'s job).
 * A future fails only when no JSON answer came: refused connection, timeout, HTTP error status or
 * a body that is not JSON, all of them worth another try later.
 */
final class WecomApi {
  private final WebClient client;
  private final String apiBase;
  private final long timeoutMs;

  WecomApi(Vertx vertx, WecomSettings settings) {
    this.apiBase = settings.apiBase();
    this.timeoutMs = settings.timeoutMs();
    this.client = Providers.webClient(vertx, "Siyu-WeCom", settings.timeoutMs());
  }

  /** {@code GET /cgi-bin/gettoken}: the access token of one app, named by its secret. */
  Future<JsonObject> getToken(String corpId, String secret) {
    HttpRequest<Buffer> request = client.getAbs(apiBase + "/cgi-bin/gettoken").timeout(timeoutMs)
        .addQueryParam("corpid", corpId).addQueryParam("corpsecret", secret);
    return request.send().compose(WecomApi::json);
  }

  /** {@code GET path?access_token=...&name=value...}: the read APIs take their arguments in the query. */
  Future<JsonObject> get(String path, String accessToken, java.util.Map<String, String> query) {
    HttpRequest<Buffer> request = client.getAbs(apiBase + path).timeout(timeoutMs).addQueryParam("access_token", accessToken);
    query.forEach(request::addQueryParam);
    return request.send().compose(WecomApi::json);
  }

  /** {@code POST path?access_token=...} with a JSON body. */
  Future<JsonObject> post(String path, String accessToken, JsonObject body) {
    HttpRequest<Buffer> request = client.postAbs(apiBase + path).timeout(timeoutMs)
        .addQueryParam("access_token", accessToken)
        .putHeader("Content-Type", "application/json; charset=utf-8");
    return request.sendBuffer(body.toBuffer()).compose(WecomApi::json);
  }

  private static Future<JsonObject> json(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(new WecomUnavailable("HTTP " + response.statusCode() + body(response)));
    }
    JsonObject answer;
    try {
      answer = response.bodyAsJsonObject();
    } catch (DecodeException | ClassCastException e) {
      answer = null;
    }
    return answer != null ? Future.succeededFuture(answer)
        : Future.failedFuture(new WecomUnavailable("HTTP 200 without a JSON object" + body(response)));
  }

  private static String body(HttpResponse<Buffer> response) {
    return response.body() == null || response.body().length() == 0 ? "" : ": " + response.bodyAsString();
  }

  void close() {
    client.close();
  }

  /** WeCom did not answer with JSON: its gateway, or the network, is in trouble. */
  static final class WecomUnavailable extends RuntimeException {
    WecomUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
