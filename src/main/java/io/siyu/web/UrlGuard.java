package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every request: a URL whose percent-escapes decode to NUL, or that has a
 * broken escape, is a 400 before any route reads it. PostgreSQL text cannot hold U+0000 (each
 * route failed with error 22021, a 500), and a path parameter with a broken escape failed while
 * the router decoded it. Checked on the raw URL, escape by escape, so path and query (names and
 * values) are covered alike.
 */
public final class UrlGuard {
  private UrlGuard() {}

  public static void handle(RoutingContext ctx) {
    String problem = problem(ctx.request().uri());
    if (problem != null) {
      ctx.fail(Problem.badRequest(problem));
    } else {
      ctx.next();
    }
  }

  /** What is wrong with {@code uri}, or null. */
  static String problem(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '\u0000') {
        return "The URL must not contain the NUL character (%00)";
      }
      if (c != '%') {
        continue;
      }
      if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
        return "The URL has a % that is not followed by two hex digits";
      }
      if (uri.charAt(i + 1) == '0' && uri.charAt(i + 2) == '0') {
        return "The URL must not contain the NUL character (%00)";
      }
      i += 2;
    }
    return null;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
