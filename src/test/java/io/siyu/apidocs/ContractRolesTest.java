package io.siyu.apidocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Person;
import io.siyu.support.OwnServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The roles the contract names ({@code x-roles}) are the roles {@code auth.Access} lets through: every
 * {@code /api/v1} operation is called with a token of each role, by a person of each role signed in
 * (cookie and CSRF token), and with nothing, and a 403 (401) must come exactly for the roles it does
 * not name. Sign-in, the one operation there without credentials
 * ({@code security: []}), is left out: SessionTest covers it. Ids in the path name nothing, so what a call gets past
 * the role check is a 404 or a 422, not a change; a server of its own takes the admin-only runs
 * (recompute, tier review) that do touch every contact.
 */
class ContractRolesTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());
  private static final List<String> ROLES = List.of("admin", "operator", "manager", "integration");

  /** Who calls: a token of a role, or a person of that role signed in (cookie and CSRF token). */
  private interface Caller {
    Api.Reply call(HttpMethod method, String path, boolean json);
  }

  @Test
  void everyOperationAnswers403ExactlyToTheRolesItDoesNotName() {
    Map<String, Caller> as = new java.util.LinkedHashMap<>();
    for (String role : ROLES) {
      Api.Reply made = server.api().post("/api/v1/tokens", new JsonObject().put("name", "roles-" + role).put("role", role));
      assertEquals(201, made.status(), made.body());
      Api token = new Api(server.siyu().vertx(), server.siyu().httpPort(), made.json().getString("token"));
      as.put(role, (method, path, json) -> call(token, method, path, json));
      String email = "roles-" + role + "@example.com";
      assertEquals(201, server.api().post("/api/v1/users", new JsonObject().put("email", email).put("display_name", role)
          .put("role", role).put("password", "roles passphrase")).status());
      Person person = new Person(server.siyu()).signedIn(email, "roles passphrase");
      as.put(role + " (signed in)", (method, path, json) -> person.send(method, path, json ? new JsonObject() : null, true));
    }
    Api anonymous = new Api(server.siyu().vertx(), server.siyu().httpPort(), "");
    List<String> wrong = new ArrayList<>();
    int calls = 0;
    JsonObject paths = ContractYaml.load().getJsonObject("paths");
    for (String template : paths.fieldNames()) {
      if (!template.startsWith("/api/v1/")) {
        continue;
      }
      JsonObject item = paths.getJsonObject(template);
      for (String m : item.fieldNames()) {
        if (!Set.of("get", "post", "patch", "put", "delete").contains(m)) {
          continue;
        }
        JsonObject op = item.getJsonObject(m);
        if (isPublic(op)) {
          continue; // sign-in: answers anyone, whatever credentials come with it
        }
        HttpMethod method = HttpMethod.valueOf(m.toUpperCase());
        String path = template.replaceAll("\\{(id|grantId|tagId)}", "999999999").replace("{version}", "1")
            .replaceAll("\\{[A-Za-z]+}", "no-such");
        boolean json = op.containsKey("requestBody")
            && op.getJsonObject("requestBody").getJsonObject("content").containsKey("application/json");
        Set<Object> allowed = Set.copyOf(op.getJsonArray("x-roles").getList());
        for (Map.Entry<String, Caller> caller : as.entrySet()) {
          String role = caller.getKey().split(" ")[0];
          if (caller.getKey().endsWith("(signed in)") && template.equals("/api/v1/sessions/current") && m.equals("delete")) {
            continue; // signing out would end the session the rest of the calls use (SessionTest covers it)
          }
          int status = caller.getValue().call(method, path, json).status();
          calls++;
          if ((status == 403) == allowed.contains(role)) {
            wrong.add(m.toUpperCase() + " " + template + " as " + caller.getKey() + ": " + status + " (x-roles " + allowed + ")");
          }
        }
        int status = call(anonymous, method, path, json).status();
        if (status != 401) {
          wrong.add(m.toUpperCase() + " " + template + " without a token: " + status);
        }
      }
    }
    assertTrue(calls > 700, "too few calls: " + calls);
    assertEquals(List.of(), wrong, "x-roles in openapi.yaml and the role matrix (auth.Access) disagree");
  }

  /** An operation that needs no credentials ({@code security: []}), such as sign-in. */
  private static boolean isPublic(JsonObject op) {
    return op.getValue("security") instanceof io.vertx.core.json.JsonArray a && a.isEmpty();
  }

  private static Api.Reply call(Api api, HttpMethod method, String path, boolean json) {
    return json ? api.send(method, path, "application/json", Buffer.buffer("{}")) : api.send(method, path, null, null);
  }
}
