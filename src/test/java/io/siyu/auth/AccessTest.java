package io.siyu.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The role matrix, route group by route group, plus token creation, listing and revocation. */
class AccessTest {
  private static final Map<Role, Api> AS = new EnumMap<>(Role.class);
  private static final Map<Role, String> SECRET = new EnumMap<>(Role.class);

  private record Call(HttpMethod method, String path, Object body, Set<Role> allowed) {}

  private static final Set<Role> READ = Set.of(Role.ADMIN, Role.OPERATOR, Role.MANAGER);
  private static final Set<Role> WRITE = Set.of(Role.ADMIN, Role.OPERATOR);
  private static final Set<Role> INGEST = Set.of(Role.ADMIN, Role.OPERATOR, Role.INTEGRATION);
  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
  private static final Set<Role> ANY = Set.of(Role.values());

  /** Every route group, with a body that gets past the role check (what happens next is not the point). */
  private static final List<Call> CALLS = List.of(
      new Call(HttpMethod.GET, "/api/v1/tokens", null, ADMIN),
      new Call(HttpMethod.POST, "/api/v1/tokens", new JsonObject().put("name", "x").put("role", "manager"), ADMIN),
      new Call(HttpMethod.DELETE, "/api/v1/tokens/999999", null, ADMIN),
      new Call(HttpMethod.GET, "/api/v1/attributes", null, READ),
      new Call(HttpMethod.POST, "/api/v1/attributes", new JsonObject(), WRITE),
      new Call(HttpMethod.PATCH, "/api/v1/attributes/nope", new JsonObject(), WRITE),
      new Call(HttpMethod.DELETE, "/api/v1/attributes/nope", null, WRITE),
      new Call(HttpMethod.GET, "/api/v1/contacts", null, READ),
      new Call(HttpMethod.GET, "/api/v1/contacts/999999", null, READ),
      new Call(HttpMethod.POST, "/api/v1/contacts", new JsonObject(), WRITE),
      new Call(HttpMethod.PATCH, "/api/v1/contacts/999999", new JsonObject().put("name", "x"), WRITE),
      new Call(HttpMethod.DELETE, "/api/v1/contacts/999999", null, WRITE),
      new Call(HttpMethod.GET, "/api/v1/contacts/999999/tags", null, READ),
      new Call(HttpMethod.POST, "/api/v1/contacts/999999/tags", new JsonObject(), WRITE),
      new Call(HttpMethod.GET, "/api/v1/contacts/999999/tag-history", null, READ),
      new Call(HttpMethod.GET, "/api/v1/contacts/999999/events", null, READ),
      new Call(HttpMethod.GET, "/api/v1/tag-groups", null, READ),
      new Call(HttpMethod.POST, "/api/v1/tag-groups", new JsonObject(), WRITE),
      new Call(HttpMethod.GET, "/api/v1/tags", null, READ),
      new Call(HttpMethod.POST, "/api/v1/tags", new JsonObject(), WRITE),
      new Call(HttpMethod.POST, "/api/v1/tags/999999/contacts", new JsonObject(), WRITE),
      new Call(HttpMethod.DELETE, "/api/v1/tags/999999", null, WRITE),
      new Call(HttpMethod.GET, "/api/v1/segments", null, READ),
      new Call(HttpMethod.POST, "/api/v1/segments/preview", new JsonObject(), READ),
      new Call(HttpMethod.POST, "/api/v1/segments", new JsonObject(), WRITE),
      new Call(HttpMethod.DELETE, "/api/v1/segments/999999", null, WRITE),
      new Call(HttpMethod.GET, "/api/v1/events", null, READ),
      new Call(HttpMethod.POST, "/api/v1/events", new JsonObject(), INGEST),
      new Call(HttpMethod.POST, "/api/v1/events/batch", new JsonObject(), INGEST),
      new Call(HttpMethod.GET, "/api/v1/imports", null, ANY),
      new Call(HttpMethod.GET, "/api/v1/imports/999999", null, ANY),
      new Call(HttpMethod.POST, "/api/v1/imports", "", INGEST));

  @BeforeAll
  static void tokens() {
    for (Role role : Role.values()) {
      Reply r = TestSiyu.admin().post("/api/v1/tokens", new JsonObject().put("name", "matrix-" + role.wire())
          .put("role", role.wire()));
      assertEquals(201, r.status(), r.toString());
      SECRET.put(role, r.json().getString("token"));
      AS.put(role, TestSiyu.as(r.json().getString("token")));
    }
  }

  private static Reply call(Api api, Call c) {
    if (c.body() instanceof String s) {
      return api.send(c.method(), c.path(), "text/csv", Buffer.buffer(s));
    }
    return c.body() == null ? api.send(c.method(), c.path(), null, null) : c.method() == HttpMethod.PATCH
        ? api.patch(c.path(), c.body()) : api.post(c.path(), c.body());
  }

  @Test
  void everyRoleGetsExactlyWhatTheMatrixSays() {
    for (Call c : CALLS) {
      for (Role role : Role.values()) {
        Reply r = call(AS.get(role), c);
        String what = role.wire() + " " + c.method() + " " + c.path() + " -> " + r;
        if (c.allowed().contains(role)) {
          assertNotEquals(403, r.status(), what);
          assertNotEquals(401, r.status(), what);
        } else {
          assertEquals(403, r.status(), what);
          assertEquals("forbidden", r.problemType(), what);
        }
      }
    }
  }

  @Test
  void missingOrUnknownTokensGet401OnEveryRoute() {
    Api anonymous = TestSiyu.as(null);
    Api stranger = TestSiyu.as("siyu_not_a_real_token");
    for (Call c : CALLS) {
      for (Api api : List.of(anonymous, stranger)) {
        Reply r = call(api, c);
        assertEquals(401, r.status(), c.method() + " " + c.path() + " -> " + r);
        assertTrue(r.contentType().startsWith("application/problem+json"));
        assertEquals("unauthorized", r.problemType());
      }
    }
  }

  @Test
  void tokensAreShownOnceStoredHashedAndRevocable() {
    Reply created = TestSiyu.admin().post("/api/v1/tokens", new JsonObject().put("name", "ci").put("role", "operator"));
    assertEquals(201, created.status());
    String secret = created.json().getString("token");
    long id = created.json().getLong("id");
    assertTrue(secret.startsWith("siyu_") && secret.length() > 40);

    Reply list = TestSiyu.admin().get("/api/v1/tokens?limit=500");
    assertEquals(200, list.status());
    assertTrue(list.body().contains("\"ci\""));
    assertTrue(!list.body().contains(secret), "listing must never show a secret");

    Api ci = TestSiyu.as(secret);
    assertEquals(200, ci.get("/api/v1/contacts").status());
    assertEquals(204, TestSiyu.admin().delete("/api/v1/tokens/" + id).status());
    Reply after = ci.get("/api/v1/contacts");
    assertEquals(401, after.status(), "a revoked token stops working at once");
    assertEquals(404, TestSiyu.admin().delete("/api/v1/tokens/987654321").status());
  }

  @Test
  void tokenCreationIsValidated() {
    Reply badRole = TestSiyu.admin().post("/api/v1/tokens", new JsonObject().put("name", "x").put("role", "root"));
    assertEquals(422, badRole.status());
    assertEquals("role", badRole.errorField());
    Reply noName = TestSiyu.admin().post("/api/v1/tokens", new JsonObject().put("role", "admin"));
    assertEquals(422, noName.status());
    assertEquals("name", noName.errorField());
  }

  @Test
  void theSecretIsNotStoredInTheDatabase() throws Exception {
    String secret = SECRET.get(Role.MANAGER);
    try (var conn = TestSiyu.get().database().jdbc().getConnection();
        var st = conn.prepareStatement("SELECT count(*) FROM api_tokens WHERE token_hash::text LIKE ? OR token_prefix = ?")) {
      st.setString(1, "%" + secret + "%");
      st.setString(2, secret);
      var rs = st.executeQuery();
      rs.next();
      assertEquals(0, rs.getInt(1));
    }
  }
}
