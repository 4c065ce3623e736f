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
    Object v;
    try {
      v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw Problem.badRequest("The body is not valid JSON");
    }
    if (containsNul(v)) {
      // PostgreSQL text and jsonb cannot hold U+0000; refuse it here rather than fail in SQL
      throw Problem.invalid("body", "strings must not contain the NUL character (\\u0000)");
    }
    return v; // objects and arrays arrive as JsonObject and JsonArray
  }

  private static boolean containsNul(Object v) {
    if (v instanceof String s) {
      return s.indexOf('\u0000') >= 0;
    }
    if (v instanceof JsonObject o) {
      return containsNul(o.getMap());
    }
    if (v instanceof JsonArray a) {
      return containsNul(a.getList());
    }
    if (v instanceof java.util.Map<?, ?> m) {
      return m.entrySet().stream().anyMatch(e -> containsNul(e.getKey()) || containsNul(e.getValue()));
    }
    if (v instanceof java.util.List<?> l) {
      return l.stream().anyMatch(Bodies::containsNul);
    }
    return false;
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
