package io.siyu.problem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An error a client caused, carried up to the failure handler and answered as an RFC 9457
 * problem document. The {@code type} is stable: clients may branch on it.
 */
public final class Problem extends RuntimeException {
  public static final String TYPE_BASE = "https://siyu.io/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;
  /** Seconds for a {@code Retry-After} header; 0 for none. */
  private final int retryAfterSeconds;

  public Problem(int status, String slug, String title, String detail, JsonObject extensions) {
    this(status, slug, title, detail, extensions, 0);
  }

  private Problem(int status, String slug, String title, String detail, JsonObject extensions, int retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.type = TYPE_BASE + slug;
    this.title = title;
    this.extensions = extensions == null ? new JsonObject() : extensions;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Extra members of the problem document; callers may add to them before it is sent. */
  public JsonObject extensions() {
    return extensions;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "malformed-request", "Malformed request", detail, null);
  }

  /** 422 for one field; {@code field} is a JSON path such as {@code birthday} or {@code $.all[1].op}. */
  public static Problem invalid(String field, String message) {
    return invalid(new JsonArray().add(fieldError(field, message)));
  }

  public static Problem invalid(JsonArray errors) {
    String detail = errors.size() == 1
        ? errors.getJsonObject(0).getString("field") + ": " + errors.getJsonObject(0).getString("message")
        : errors.size() + " fields are invalid";
    return new Problem(422, "validation", "Validation failed", detail, new JsonObject().put("errors", errors));
  }

  public static JsonObject fieldError(String field, String message) {
    return new JsonObject().put("field", field).put("message", message);
  }

  public static Problem notFound(String what) {
    return new Problem(404, "not-found", "Not found", what + " does not exist", null);
  }

  public static Problem conflict(String detail, JsonObject extensions) {
    return new Problem(409, "conflict", "Conflict", detail, extensions);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Unauthorized", detail, null);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail, null);
  }

  public static Problem tooLarge(String detail) {
    return new Problem(413, "payload-too-large", "Payload too large", detail, null);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, null);
  }

  /**
   * 503: the database cannot be reached (it is restarting, or away); nothing was done, and the same
   * request may be sent again after {@code Retry-After} (5 s: a restarted database is usually back by then).
   */
  public static Problem databaseUnavailable() {
    int seconds = 5;
    return new Problem(503, "database-unavailable", "Database unavailable",
        "The database cannot be reached right now; retry after " + seconds + " s", null, seconds);
  }

  /**
   * A refusal that passes with time (a lock, a busy queue): {@code seconds} go into {@code Retry-After}
   * (at least 1).
   */
  public static Problem retryLater(int status, String slug, String title, String detail, int seconds) {
    return new Problem(status, slug, title, detail, null, Math.max(1, seconds));
  }

  /** Seconds the client should wait before trying again ({@code Retry-After}); 0 when not said. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The last part of the type URI, e.g. {@code not-eligible}. */
  public String slug() {
    return type.substring(TYPE_BASE.length());
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    extensions.forEach(e -> json.put(e.getKey(), e.getValue()));
    return json;
  }

  /** 503: the feature (a webhook, a channel) exists but this deployment has not set it up. */
  public static Problem notConfigured(String variable, String what) {
    return new Problem(503, "not-configured", "Not configured",
        variable + " is not set: this Siyu does not accept " + what, null);
  }
}
