package io.siyu.auth;

import io.siyu.problem.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Guards {@code /api/**}: a known, unrevoked bearer token (machines) or a live session cookie
 * (people), else a 401. Both become a {@link Principal} with a role, so {@link Access} applies alike.
 *
 * <p>A request with the cookie that changes something (POST, PUT, PATCH, DELETE) must also carry
 * {@code X-CSRF-Token} equal to its session's token, else a 403 {@code csrf}: a browser sends the
 * cookie by itself, the header only when the console's own script adds it. A bearer token is never
 * sent by a browser on its own, so it needs none; with both, the token decides.
 */
public final class AuthHandler implements Handler<RoutingContext> {
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private final TokenService tokens;
  private final SessionCheck sessions;

  public AuthHandler(TokenService tokens, SessionCheck sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String cookie = SessionCookie.read(ctx);
    if (header == null && cookie != null) {
      withSession(ctx, cookie);
    } else if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(Problem.unauthorized("Send Authorization: Bearer <token>, or sign in (POST /api/v1/sessions)"));
    } else {
      withToken(ctx, header.substring(7).trim());
    }
  }

  private void withToken(RoutingContext ctx, String token) {
    tokens.verify(token).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        ctx.fail(Problem.unauthorized("The token is unknown or revoked"));
      } else {
        ctx.put(Principal.KEY, ar.result());
        ctx.next();
      }
    });
  }

  private void withSession(RoutingContext ctx, String cookie) {
    sessions.check(cookie).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() == null) {
        SessionCookie.clear(ctx); // the browser may as well forget it
        ctx.fail(Problem.unauthorized("The session has ended; sign in again"));
      } else if (!SAFE.contains(ctx.request().method()) && !csrfMatches(ctx, ar.result())) {
        ctx.fail(new Problem(403, "csrf", "CSRF token missing or wrong",
            "A change made with the session cookie must carry the session's token in " + CSRF_HEADER, null));
      } else {
        ctx.put(SignedIn.KEY, ar.result());
        ctx.put(Principal.KEY, ar.result().principal());
        ctx.next();
      }
    });
  }

  private static boolean csrfMatches(RoutingContext ctx, SignedIn session) {
    String sent = ctx.request().getHeader(CSRF_HEADER);
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        session.csrfToken().getBytes(StandardCharsets.UTF_8));
  }
}
