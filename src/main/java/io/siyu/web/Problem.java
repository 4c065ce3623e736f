package io.siyu.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An error a client caused, carried up to {@link ProblemHandler} and answered as an RFC 9457
 * problem document. The {@code type} is stable: clients may branch on it.
 */
public final class Problem extends RuntimeException {
  public static final String TYPE_BASE = "https://siyu.io/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  public Problem(int status, String slug, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = TYPE_BASE + slug;
    this.title = title;
    this.extensions = extensions == null ? new JsonObject() : extensions;
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
}
