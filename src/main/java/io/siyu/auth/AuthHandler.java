package io.siyu.auth;

import io.siyu.problem.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Guards {@code /api/**}: a known, unrevoked bearer token or a 401. */
public final class AuthHandler implements Handler<RoutingContext> {
  private final TokenService tokens;

  public AuthHandler(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(Problem.unauthorized("Send Authorization: Bearer <token>"));
      return;
    }
    tokens.verify(header.substring(7).trim()).onComplete(ar -> {
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
}
