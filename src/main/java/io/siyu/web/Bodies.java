package io.siyu.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading request bodies and answering with JSON, the same way for every route. */
public final class Bodies {
  private Bodies() {}

  public static JsonObject object(RoutingContext ctx) {
    Object value = parse(ctx);
    if (value instanceof JsonObject o) {
      return o;
    }
    throw Problem.badRequest("The body must be a JSON object");
  }

  public static Object parse(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
      throw Problem.unsupportedMediaType("Send the body as application/json");
    }
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw Problem.badRequest("The body is empty");
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (v instanceof java.util.Map<?, ?> || v instanceof java.util.List<?>) {
        return v instanceof java.util.Map<?, ?> m ? new JsonObject(cast(m)) : new JsonArray((java.util.List<?>) v);
      }
      return v;
    } catch (DecodeException e) {
      throw Problem.badRequest("The body is not valid JSON");
    }
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> cast(java.util.Map<?, ?> m) {
    return (java.util.Map<String, Object>) m;
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body));
  }

  public static void ok(RoutingContext ctx, Object body) {
    json(ctx, 200, body);
  }

  public static void created(RoutingContext ctx, String location, Object body) {
    ctx.response().putHeader("Location", location);
    json(ctx, 201, body);
  }

  public static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  /** A path parameter that must be a positive id; anything else is a 404, not a 500. */
  public static long id(RoutingContext ctx, String param, String what) {
    String raw = ctx.pathParam(param);
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw Problem.notFound(what + " " + raw);
  }
}
