package io.siyu.user;

import io.siyu.auth.Role;
import io.siyu.problem.Problem;
import io.siyu.web.Text;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The bodies of {@code POST /users} and {@code PATCH /users/{id}}, checked field by field: every wrong field is listed. */
final class UserInput {
  static final int MAX_EMAIL = 254;
  static final int MAX_NAME = 100;
  private static final String ROLES = "must be one of admin, operator, manager, integration";

  /** A person to create. */
  record NewUser(String email, String displayName, Role role, String password) {}

  /** What a PATCH changes; a null field stays as it is. */
  record Change(String displayName, Role role, Boolean disabled) {}

  private UserInput() {}

  static NewUser newUser(JsonObject body) {
    JsonArray errors = new JsonArray();
    String email = text(body, "email", errors);
    if (email != null && emailProblem(email) != null) {
      errors.add(Problem.fieldError("email", emailProblem(email)));
    }
    String name = displayName(body, errors, true);
    Role role = role(body, errors, true);
    String password = body.getValue("password") instanceof String s ? s : null;
    if (password == null) {
      errors.add(Problem.fieldError("password", "is required"));
    } else if (PasswordPolicy.problem(password, email) != null) {
      errors.add(Problem.fieldError("password", PasswordPolicy.problem(password, email)));
    }
    failOn(errors);
    return new NewUser(email.strip(), name, role, password);
  }

  static Change change(JsonObject body) {
    JsonArray errors = new JsonArray();
    for (String field : body.fieldNames()) {
      if (!java.util.Set.of("display_name", "role", "disabled").contains(field)) {
        errors.add(Problem.fieldError(field, "cannot be changed here (display_name, role and disabled can)"));
      }
    }
    String name = displayName(body, errors, false);
    Role role = role(body, errors, false);
    Object disabled = body.getValue("disabled");
    if (body.containsKey("disabled") && !(disabled instanceof Boolean)) {
      errors.add(Problem.fieldError("disabled", "must be true or false"));
    }
    if (errors.isEmpty() && body.isEmpty()) {
      errors.add(Problem.fieldError("display_name", "nothing to change: send display_name, role or disabled"));
    }
    failOn(errors);
    return new Change(name, role, (Boolean) disabled);
  }

  /** Why {@code email} is no email address Siyu takes, or null: one @ with text on both sides, no spaces. */
  static String emailProblem(String email) {
    String e = email.strip();
    int at = e.indexOf('@');
    if (e.isEmpty() || e.length() > MAX_EMAIL || at <= 0 || at != e.lastIndexOf('@') || at == e.length() - 1
        || e.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
        || Text.unstorable(e) != null) {
      return "must be an email address (name@domain), at most " + MAX_EMAIL + " characters";
    }
    return null;
  }

  private static String text(JsonObject body, String field, JsonArray errors) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      errors.add(Problem.fieldError(field, "is required"));
      return null;
    }
    return s;
  }

  private static String displayName(JsonObject body, JsonArray errors, boolean required) {
    if (!required && !body.containsKey("display_name")) {
      return null;
    }
    String name = text(body, "display_name", errors);
    if (name == null) {
      return null;
    }
    String problem = Text.keyProblem(name.strip(), MAX_NAME);
    if (problem != null) {
      errors.add(Problem.fieldError("display_name", problem));
      return null;
    }
    return name.strip();
  }

  private static Role role(JsonObject body, JsonArray errors, boolean required) {
    if (!required && !body.containsKey("role")) {
      return null;
    }
    Role role = body.getValue("role") instanceof String s ? Role.fromWire(s) : null;
    if (role == null) {
      errors.add(Problem.fieldError("role", ROLES));
    }
    return role;
  }

  private static void failOn(JsonArray errors) {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }
}
