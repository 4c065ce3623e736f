package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
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
    return decode(ctx.body().buffer());
  }

  /**
   * {@code body} as JSON, checked as every body is: a 400 when it is not JSON, a 422 naming the
   * first value Siyu would not store as sent ({@link JsonValues#firstUnfit}), refused here once for
   * every route rather than failing in SQL or being stored altered. Objects and arrays arrive as
   * JsonObject and JsonArray. For bodies that are not read through {@link #parse} (signed callbacks).
   */
  public static Object decode(Buffer body) {
    Object v;
    try {
      v = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problem.badRequest("The body is not valid JSON");
    }
    JsonObject bad = JsonValues.firstUnfit(v);
    if (bad != null) {
      throw Problem.invalid(new JsonArray().add(bad));
    }
    return v;
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body));
    } catch (RuntimeException e) {
      // called from a future's callback, where a throw is lost and the client would wait forever
      ctx.fail(e);
    }
  }

  public static void ok(RoutingContext ctx, Object body) {
    json(ctx, 200, body);
  }

  /**
   * 201 with {@code Location}: {@code base} and the segments naming what was made, each
   * percent-encoded ({@link Locations#path}), so an id from outside never breaks the header.
   */
  public static void created(RoutingContext ctx, Object body, String base, Object... segments) {
    ctx.response().putHeader("Location", Locations.path(base, segments));
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

  /** Answers {@code problem} as {@code application/problem+json}, unless an answer is already under way. */
  public static void problem(HttpServerResponse response, Problem problem) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (problem.retryAfterSeconds() > 0) {
      response.putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(problem.toJson().encode());
  }
}
