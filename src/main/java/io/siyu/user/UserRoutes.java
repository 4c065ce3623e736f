package io.siyu.user;

import io.siyu.auth.Access;
import io.siyu.auth.SignedIn;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/users}: admins make, list and change people; everyone changes their own password. */
public final class UserRoutes {
  private UserRoutes() {}

  public static void mount(Router v1, People people) {
    UserService users = people.users();
    v1.post("/users/me/password").handler(Access.ANYONE).handler(ctx -> {
      SignedIn session = SessionRoutes.session(ctx);
      JsonObject body = Bodies.object(ctx);
      String current = body.getValue("current_password") instanceof String s ? s : null;
      String next = body.getValue("new_password") instanceof String s ? s : null;
      checkPasswords(current, next, session.principal().name());
      people.signIn().changePassword(session, current, next, ClientAddress.of(ctx))
          .onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail);
    });
    v1.post("/users").handler(Access.ADMIN).handler(ctx -> {
      UserInput.NewUser u = UserInput.newUser(Bodies.object(ctx));
      users.create(u).onSuccess(j -> Bodies.created(ctx, j, "/api/v1/users", j.getLong("id"))).onFailure(ctx::fail);
    });
    v1.get("/users").handler(Access.ADMIN).handler(ctx ->
        users.list(Page.of(ctx, UserService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    v1.get("/users/:id").handler(Access.ADMIN).handler(ctx ->
        users.get(Bodies.id(ctx, "id", "User")).onSuccess(u -> Bodies.ok(ctx, u)).onFailure(ctx::fail));
    v1.patch("/users/:id").handler(Access.ADMIN).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "User");
      users.change(id, UserInput.change(Bodies.object(ctx))).onSuccess(u -> Bodies.ok(ctx, u)).onFailure(ctx::fail);
    });
  }

  private static void checkPasswords(String current, String next, String email) {
    JsonArray errors = new JsonArray();
    if (current == null || current.isEmpty()) {
      errors.add(Problem.fieldError("current_password", "is required"));
    }
    String weakness = next == null ? "is required" : PasswordPolicy.problem(next, email);
    if (weakness == null && next.equals(current)) {
      weakness = "must differ from the current password";
    }
    if (weakness != null) {
      errors.add(Problem.fieldError("new_password", weakness));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }
}
