package io.siyu.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code siyu_session} cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page sends it), {@code Path=/}, and Secure when the request came over https, directly or through a
 * proxy that says so ({@code X-Forwarded-Proto: https}).
 */
public final class SessionCookie {
  public static final String NAME = "siyu_session";

  private SessionCookie() {}

  /** The cookie's value, or null when the request has none. */
  public static String read(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(NAME);
    return c == null || c.getValue().isEmpty() ? null : c.getValue();
  }

  public static void set(RoutingContext ctx, String value, long maxAgeSeconds) {
    ctx.response().addCookie(cookie(ctx, value).setMaxAge(maxAgeSeconds));
  }

  /** Tells the browser to forget the cookie (an empty value that has already expired). */
  public static void clear(RoutingContext ctx) {
    ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
  }

  private static Cookie cookie(RoutingContext ctx, String value) {
    return Cookie.cookie(NAME, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(https(ctx));
  }

  static boolean https(RoutingContext ctx) {
    if (ctx.request().isSSL()) {
      return true;
    }
    String forwarded = ctx.request().getHeader("X-Forwarded-Proto");
    // a chain of proxies lists one scheme each: the first is what the browser used
    return forwarded != null && forwarded.split(",")[0].trim().equalsIgnoreCase("https");
  }
}
