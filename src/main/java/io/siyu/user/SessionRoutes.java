package io.siyu.user;

import io.siyu.auth.Access;
import io.siyu.auth.SessionCookie;
import io.siyu.auth.SignedIn;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/sessions}: people sign in (the one route under {@code /api/v1} without credentials:
 * mounted before the guard), see their session and sign out.
 */
public final class SessionRoutes {
  private static final int MAX_INPUT = 1_024;

  private SessionRoutes() {}

  /**
   * {@code POST /sessions}, mounted on {@code api} ahead of the guard. It takes JSON only (a form post
   * from another site is a 415), and with the cookie's SameSite=Strict needs no CSRF token.
   */
  public static void mountSignIn(Router api, People people) {
    api.post("/v1/sessions").handler(ctx -> {
      JsonObject body = Bodies.object(ctx);
      String email = required(body, "email");
      String password = required(body, "password");
      people.signIn().signIn(email, password, ClientAddress.of(ctx))
          .onSuccess(opened -> {
            SessionCookie.set(ctx, opened.cookie(), people.sessions().maxSeconds());
            answer(ctx, people, opened.session(), 201);
          })
          .onFailure(ctx::fail);
    });
  }

  /** {@code /sessions/current}, behind the guard: a person's own session. */
  public static void mount(Router v1, People people) {
    v1.get("/sessions/current").handler(Access.ANYONE).handler(ctx -> answer(ctx, people, session(ctx), 200));
    v1.delete("/sessions/current").handler(Access.ANYONE).handler(ctx -> {
      SignedIn session = session(ctx);
      people.sessions().end(session.sessionId()).onSuccess(v -> {
        SessionCookie.clear(ctx);
        Bodies.noContent(ctx);
      }).onFailure(ctx::fail);
    });
  }

  /** The request's session; a request with an API token has none (a 401: only a signed-in person does). */
  static SignedIn session(RoutingContext ctx) {
    SignedIn session = SignedIn.of(ctx);
    if (session == null) {
      throw Problem.unauthorized("This needs a signed-in person's session (POST /api/v1/sessions); "
          + "an API token has none");
    }
    return session;
  }

  private static void answer(RoutingContext ctx, People people, SignedIn session, int status) {
    Future<JsonObject> user = people.users().get(session.principal().id());
    user.onSuccess(u -> {
      // the CSRF token is in the body: no cache may keep it
      ctx.response().putHeader("Cache-Control", "no-store");
      JsonObject body = new JsonObject().put("user", u).put("csrf_token", session.csrfToken())
          .put("expires_at", io.siyu.db.Rows.instant(session.expiresAt()));
      if (status == 201) {
        Bodies.created(ctx, body, "/api/v1/sessions/current");
      } else {
        Bodies.ok(ctx, body);
      }
    }).onFailure(ctx::fail);
  }

  private static String required(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String s) || s.isEmpty()) {
      throw Problem.invalid(field, "is required");
    }
    if (s.length() > MAX_INPUT) {
      throw Problem.invalid(field, "must be at most " + MAX_INPUT + " characters");
    }
    return s;
  }
}
