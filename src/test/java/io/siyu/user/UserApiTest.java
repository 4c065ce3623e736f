package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Person;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/users}: admins make, list and change people; the rules of emails and passwords; who may. */
class UserApiTest {
  private static final Api admin = TestSiyu.admin();

  private static JsonObject input(String email, String password) {
    return new JsonObject().put("email", email).put("display_name", "Li Na").put("role", "operator")
        .put("password", password);
  }

  @Test
  void anAdminCreatesAUserAndReadsItBack() {
    String email = TestPeople.email();
    Api.Reply made = admin.post("/api/v1/users", input(email, TestPeople.PASSWORD));
    assertEquals(201, made.status(), made.body());
    JsonObject u = made.json();
    assertEquals(Set.of("id", "email", "display_name", "role", "disabled", "created_at", "last_sign_in_at"), u.fieldNames());
    assertEquals(email, u.getString("email"));
    assertEquals("operator", u.getString("role"));
    assertFalse(u.getBoolean("disabled"));
    assertNull(u.getValue("last_sign_in_at"));
    assertEquals("/api/v1/users/" + u.getLong("id"), made.headers().get("Location"));
    assertFalse(made.body().contains("argon2"), "no hash is shown");
    assertEquals(u, admin.get("/api/v1/users/" + u.getLong("id")).json());
    assertEquals(404, admin.get("/api/v1/users/999999999").status());
  }

  @Test
  void anEmailIsUniqueWhateverItsCase() {
    String email = TestPeople.email();
    assertEquals(201, admin.post("/api/v1/users", input(email, TestPeople.PASSWORD)).status());
    Api.Reply again = admin.post("/api/v1/users", input(email.toUpperCase(), TestPeople.PASSWORD));
    assertEquals(409, again.status(), again.body());
    assertEquals("conflict", again.problemType());
  }

  @Test
  void everyWrongFieldIsNamedAt422() {
    Api.Reply r = admin.post("/api/v1/users", new JsonObject().put("email", "not-an-email").put("display_name", " ")
        .put("role", "owner").put("password", "short"));
    assertEquals(422, r.status(), r.body());
    assertEquals(Set.of("email", "display_name", "role", "password"), fields(r));

    Api.Reply tooShort = admin.post("/api/v1/users", input(TestPeople.email(), "elevenchars"));
    assertEquals(422, tooShort.status());
    assertEquals("password", tooShort.errorField());
    assertTrue(tooShort.body().contains("at least 12"), tooShort.body());

    String email = "Long.Enough.Address" + System.nanoTime() + "@example.com";
    Api.Reply theEmail = admin.post("/api/v1/users", input(email, email.toLowerCase()));
    assertEquals(422, theEmail.status(), theEmail.body());
    assertEquals("password", theEmail.errorField());
    assertTrue(theEmail.body().contains("email"), theEmail.body());

    assertEquals(201, admin.post("/api/v1/users", input(TestPeople.email(), "twelve chars")).status(),
        "twelve characters are enough");
    assertEquals(Set.of("email", "display_name", "role", "password"),
        fields(admin.post("/api/v1/users", new JsonObject())), "every missing field is named");
  }

  @Test
  void theListIsPagedAndSorted() {
    String prefix = "list" + System.nanoTime();
    for (String name : List.of("c", "a", "b")) {
      assertEquals(201, admin.post("/api/v1/users", input(prefix + name + "@example.com", TestPeople.PASSWORD)).status());
    }
    JsonArray newest = admin.get("/api/v1/users?limit=3").items();
    assertEquals(List.of("b", "a", "c"), localLetters(newest, prefix), "newest first by default");

    Api.Reply first = admin.get("/api/v1/users?sort=email&limit=2");
    String cursor = first.json().getString("next_cursor");
    assertNotNull(cursor);
    List<String> emails = new java.util.ArrayList<>();
    first.json().getJsonArray("items").forEach(u -> emails.add(((JsonObject) u).getString("email")));
    for (int i = 0; i < 100 && cursor != null; i++) {
      JsonObject page = admin.get("/api/v1/users?limit=50&cursor=" + cursor).json();
      page.getJsonArray("items").forEach(u -> emails.add(((JsonObject) u).getString("email")));
      cursor = page.getString("next_cursor");
    }
    assertEquals(emails.stream().sorted().toList(), emails, "by email, page after page");
    assertTrue(emails.containsAll(List.of(prefix + "a@example.com", prefix + "b@example.com", prefix + "c@example.com")));
    assertEquals(422, admin.get("/api/v1/users?sort=password_hash").status());
  }

  @Test
  void anAdminChangesTheNameAndRoleAndNothingElse() {
    JsonObject u = TestPeople.make("operator");
    String path = "/api/v1/users/" + u.getLong("id");
    Api.Reply changed = admin.patch(path, new JsonObject().put("display_name", "Wang Fang").put("role", "manager"));
    assertEquals(200, changed.status(), changed.body());
    assertEquals("Wang Fang", changed.json().getString("display_name"));
    assertEquals("manager", changed.json().getString("role"));
    assertEquals(u.getString("email"), changed.json().getString("email"));

    assertEquals(422, admin.patch(path, new JsonObject().put("email", "x@example.com")).status(), "not the email");
    assertEquals(422, admin.patch(path, new JsonObject().put("role", "root")).status());
    assertEquals(422, admin.patch(path, new JsonObject().put("disabled", "yes")).status());
    assertEquals(422, admin.patch(path, new JsonObject()).status());
    assertEquals(404, admin.patch("/api/v1/users/999999999", new JsonObject().put("disabled", true)).status());
  }

  @Test
  void onlyAdminsManageUsersWhetherTheyComeWithATokenOrSignedIn() {
    JsonObject body = input(TestPeople.email(), TestPeople.PASSWORD);
    for (String role : List.of("operator", "manager", "integration")) {
      Api.Reply r = TestSiyu.withRole(role).post("/api/v1/users", body);
      assertEquals(403, r.status(), role + ": " + r.body());
      assertEquals(403, TestSiyu.withRole(role).get("/api/v1/users").status(), role);
    }
    JsonObject manager = TestPeople.make("manager");
    Person person = Person.ofTestServer().from("10.9.0.1").signedIn(manager.getString("email"), TestPeople.PASSWORD);
    Api.Reply refused = person.post("/api/v1/users", body);
    assertEquals(403, refused.status(), refused.body());
    assertEquals("forbidden", refused.problemType(), "a manager signed in is refused like a manager's token");
    assertEquals(200, person.get("/api/v1/contacts?limit=1").status(), "and may read what managers read");

    JsonObject adminPerson = TestPeople.make("admin");
    Person admin = Person.ofTestServer().from("10.9.0.2").signedIn(adminPerson.getString("email"), TestPeople.PASSWORD);
    Api.Reply made = admin.post("/api/v1/users", body);
    assertEquals(201, made.status(), made.body());
  }

  @Test
  void aTokenMadeByAPersonIsTheirs() {
    JsonObject adminPerson = TestPeople.make("admin");
    Person admin = Person.ofTestServer().from("10.9.0.3").signedIn(adminPerson.getString("email"), TestPeople.PASSWORD);
    Api.Reply token = admin.post("/api/v1/tokens", new JsonObject().put("name", "by-a-person").put("role", "integration"));
    assertEquals(201, token.status(), token.body());
    var rows = io.siyu.support.Await.result(TestSiyu.get().services().pool()
        .preparedQuery("SELECT created_by, created_by_user FROM api_tokens WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(token.json().getLong("id"))));
    var row = rows.iterator().next();
    assertNull(row.getLong("created_by"));
    assertEquals(adminPerson.getLong("id"), row.getLong("created_by_user"));
  }

  private static Set<String> fields(Api.Reply r) {
    return r.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).collect(Collectors.toSet());
  }

  private static List<String> localLetters(JsonArray users, String prefix) {
    return users.stream().map(u -> ((JsonObject) u).getString("email")).filter(e -> e.startsWith(prefix))
        .map(e -> e.substring(prefix.length(), prefix.length() + 1)).toList();
  }
}
