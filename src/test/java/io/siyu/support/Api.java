package io.siyu.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;

/**
 * The tests' HTTP client, the one way they call Siyu: real requests over loopback, blocking the
 * test thread, answers as {@link Reply}. Get one from {@link TestSiyu} (the shared server) or
 * {@link OwnServer} (a class's own). Every JSON body sent to {@code /api/v1} is held to the API
 * contract ({@link Contract}).
 */
public final class Api {
  private final WebClient client;
  private final String token;
  private final long timeoutSeconds;

  public Api(Vertx vertx, int port, String token) {
    // a test sees each answer as the server gave it: a redirect is an answer, not a hop
    this(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false)), token, 120);
  }

  private Api(WebClient client, String token, long timeoutSeconds) {
    this.client = client;
    this.token = token;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The same client, giving up on an answer after {@code seconds}: for tests where a hang is the bug. */
  public Api withTimeout(long seconds) {
    return new Api(client, token, seconds);
  }

  public Reply get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public Reply delete(String path) {
    return send(HttpMethod.DELETE, path, null, null);
  }

  public Reply post(String path, Object json) {
    return send(HttpMethod.POST, path, "application/json", json == null ? null : Buffer.buffer(Json.encode(json)));
  }

  public Reply patch(String path, Object json) {
    return send(HttpMethod.PATCH, path, "application/json", Buffer.buffer(Json.encode(json)));
  }

  /** A raw body with any content type, for malformed-input tests. */
  public Reply send(HttpMethod method, String path, String contentType, Buffer body) {
    return send(method, path, contentType, body, MultiMap.caseInsensitiveMultiMap());
  }

  /**
   * The same with extra headers (a provider's signature, say). Every request of every test goes
   * out here, so a check of all requests (against the API contract, say) belongs here.
   */
  public Reply send(HttpMethod method, String path, String contentType, Buffer body, MultiMap headers) {
    HttpRequest<Buffer> req = client.request(method, path);
    req.putHeaders(headers);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    Reply reply;
    try {
      HttpResponse<Buffer> resp = Await.result(body == null ? req.send() : req.sendBuffer(body),
          Duration.ofSeconds(timeoutSeconds));
      reply = new Reply(resp.statusCode(), resp.headers(), resp.bodyAsString());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    }
    Contract.get().check(method, path, contentType, body, reply);
    return reply;
  }

  /** Polls an import until it is done or failed, checking that its progress only moves forward. */
  public JsonObject awaitImport(long id) {
    long lastDone = -1;
    for (int i = 0; i < 1200; i++) {
      JsonObject job = get("/api/v1/imports/" + id).json();
      if (job.getLong("rows_done") < lastDone) {
        throw new AssertionError("import progress went back: " + job.encode());
      }
      lastDone = job.getLong("rows_done");
      if ("done".equals(job.getString("status")) || "failed".equals(job.getString("status"))) {
        return job;
      }
      Eventually.sleep(100);
    }
    throw new AssertionError("import " + id + " did not finish");
  }

  /** The newest import's id. */
  public long latestImportId() {
    return get("/api/v1/imports?sort=-id&limit=1").items().getJsonObject(0).getLong("id");
  }

  /** An HTTP answer. */
  public record Reply(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String contentType() {
      return headers.get("Content-Type");
    }

    /** The {@code type} slug of a problem answer, e.g. {@code validation}. */
    public String problemType() {
      String type = json().getString("type");
      return type.substring(type.lastIndexOf('/') + 1);
    }

    /** The field named by the first validation error. */
    public String errorField() {
      return json().getJsonArray("errors").getJsonObject(0).getString("field");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
