package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Person;
import io.siyu.support.TestSiyu;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * People's sessions over real HTTP: the cookie and its attributes, the CSRF token on changes, sign-out,
 * idle and absolute expiry (the database's clock moved for one session), and sessions that end when
 * their person is disabled, gets another role or changes the password.
 */
class SessionTest {
  private static final String AGE_SEEN = "UPDATE user_sessions SET last_seen_at = last_seen_at - %s WHERE csrf_token = $1";

  /** A browser signed in as a new person of {@code role}, counted as coming from an address of its own. */
  private static Person signedIn(JsonObject person) {
    return Person.ofTestServer().from(address()).signedIn(person.getString("email"), TestPeople.PASSWORD);
  }

  private static String address() {
    return "10.1." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
  }

  @Test
  void signInSetsAStrictHttpOnlyCookieAndAnswersWhoAndTheCsrfToken() {
    JsonObject person = TestPeople.make("operator");
    Person browser = Person.ofTestServer().from(address());
    Api.Reply r = browser.signIn(person.getString("email").toUpperCase(), TestPeople.PASSWORD);
    assertEquals(201, r.status(), r.body());
    assertEquals(person.getLong("id"), r.json().getJsonObject("user").getLong("id"), "the email's case does not matter");
    assertNotNull(r.json().getJsonObject("user").getString("last_sign_in_at"));
    assertTrue(r.json().getString("csrf_token").length() >= 43);
    assertEquals("no-store", r.headers().get("Cache-Control"));
    Instant expires = Instant.parse(r.json().getString("expires_at"));
    assertTrue(Math.abs(Duration.between(Instant.now().plus(Duration.ofMinutes(30)), expires).toSeconds()) < 60,
        "idle expiry, 30 minutes by default: " + expires);

    String cookie = Person.Cookies.header(r, "siyu_session");
    assertNotNull(cookie, r.headers().toString());
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);
    assertTrue(cookie.contains("Max-Age=43200"), "the absolute lifetime, 12 h: " + cookie);
    assertFalse(cookie.contains("Secure"), "not over plain http: " + cookie);
    assertTrue(browser.cookie().length() >= 43, "256 random bits");
    assertFalse(r.body().contains(browser.cookie()), "the session id is only in the cookie");

    Api.Reply current = browser.get("/api/v1/sessions/current");
    assertEquals(200, current.status(), current.body());
    assertEquals(r.json().getJsonObject("user").getString("email"), current.json().getJsonObject("user").getString("email"));
    assertEquals(browser.csrf(), current.json().getString("csrf_token"));
  }

  @Test
  void theCookieIsSecureWhenTheRequestCameOverHttps() {
    JsonObject person = TestPeople.make("manager");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-Proto", "https").add("X-Forwarded-For", address());
    Api.Reply r = TestSiyu.as(TestSiyu.get(), null).send(HttpMethod.POST, "/api/v1/sessions", "application/json",
        Buffer.buffer(new JsonObject().put("email", person.getString("email")).put("password", TestPeople.PASSWORD).encode()),
        headers);
    assertEquals(201, r.status(), r.body());
    assertTrue(Person.Cookies.header(r, "siyu_session").contains("Secure"), Person.Cookies.header(r, "siyu_session"));
  }

  @Test
  void signInTakesJsonOnlySoAFormFromAnotherSiteCannotSignIn() {
    Api.Reply form = TestSiyu.as(TestSiyu.get(), null).send(HttpMethod.POST, "/api/v1/sessions",
        "application/x-www-form-urlencoded", Buffer.buffer("email=a%40b.c&password=xxxxxxxxxxxxx"));
    assertEquals(415, form.status(), form.body());
    Api.Reply missing = TestSiyu.as(TestSiyu.get(), null).post("/api/v1/sessions", new JsonObject().put("email", "a@b.c"));
    assertEquals(422, missing.status());
    assertEquals("password", missing.errorField());
  }

  @Test
  void aChangeWithTheCookieNeedsTheSessionsCsrfToken() {
    Person browser = signedIn(TestPeople.make("operator"));
    JsonObject group = new JsonObject().put("name", "csrf-" + System.nanoTime());
    Api.Reply without = browser.send(HttpMethod.POST, "/api/v1/tag-groups", group, false);
    assertEquals(403, without.status(), without.body());
    assertEquals("csrf", without.problemType());
    Api.Reply wrong = browser.send(HttpMethod.POST, "/api/v1/tag-groups", group, "not-" + browser.csrf());
    assertEquals(403, wrong.status());
    assertEquals("csrf", wrong.problemType());
    Person other = signedIn(TestPeople.make("operator"));
    assertEquals(403, browser.send(HttpMethod.POST, "/api/v1/tag-groups", group, other.csrf()).status(),
        "another session's token is no good");
    assertEquals(403, browser.send(HttpMethod.DELETE, "/api/v1/sessions/current", null, false).status(),
        "sign-out too: no page of another site may end the session");

    assertEquals(201, browser.post("/api/v1/tag-groups", group).status(), "with the token it goes through");
    assertEquals(200, browser.get("/api/v1/tag-groups").status(), "reads need no token");
    assertEquals(201, TestSiyu.withRole("operator").post("/api/v1/tag-groups",
        new JsonObject().put("name", "bearer-" + System.nanoTime())).status(), "bearer requests need none");
  }

  @Test
  void signOutEndsTheSessionAndClearsTheCookie() {
    Person browser = signedIn(TestPeople.make("integration"));
    Person copy = browser.copy(TestSiyu.get());
    Api.Reply out = browser.delete("/api/v1/sessions/current");
    assertEquals(204, out.status(), out.body());
    String cleared = Person.Cookies.header(out, "siyu_session");
    assertNotNull(cleared);
    assertEquals("", Person.Cookies.value(out, "siyu_session"));
    assertTrue(cleared.contains("Max-Age=0"), cleared);
    Api.Reply after = copy.get("/api/v1/sessions/current");
    assertEquals(401, after.status(), "the cookie no longer opens anything, wherever it is kept");
    assertEquals("unauthorized", after.problemType());
    assertEquals(401, TestSiyu.anonymous().get("/api/v1/sessions/current").status());
    assertEquals(401, TestSiyu.withRole("admin").get("/api/v1/sessions/current").status(), "a token has no session");
  }

  @Test
  void aSessionUnusedForTheIdleTimeHasEnded() {
    Person browser = signedIn(TestPeople.make("operator"));
    TestPeople.sql(String.format(AGE_SEEN, "interval '29 minutes'"), browser.csrf());
    assertEquals(200, browser.get("/api/v1/sessions/current").status(), "29 minutes: still on (and now used again)");
    TestPeople.sql(String.format(AGE_SEEN, "interval '31 minutes'"), browser.csrf());
    Api.Reply idle = browser.get("/api/v1/sessions/current");
    assertEquals(401, idle.status(), idle.body());
    assertEquals("", Person.Cookies.value(idle, "siyu_session"), "the ended session's cookie is cleared");
  }

  @Test
  void aSessionEndsAtItsAbsoluteExpiryHoweverMuchItIsUsed() {
    Person browser = signedIn(TestPeople.make("operator"));
    TestPeople.sql("UPDATE user_sessions SET created_at = created_at - interval '11 hours 58 minutes' WHERE csrf_token = $1",
        browser.csrf());
    Api.Reply late = browser.get("/api/v1/sessions/current");
    assertEquals(200, late.status());
    Instant expires = Instant.parse(late.json().getString("expires_at"));
    assertTrue(Duration.between(Instant.now(), expires).toMinutes() <= 2, "the absolute end comes first: " + expires);
    TestPeople.sql("UPDATE user_sessions SET created_at = created_at - interval '3 minutes' WHERE csrf_token = $1",
        browser.csrf());
    assertEquals(401, browser.get("/api/v1/sessions/current").status(), "12 hours after sign-in, though used a moment ago");
  }

  @Test
  void useIsWrittenAtMostOnceAMinute() {
    Person browser = signedIn(TestPeople.make("manager"));
    TestPeople.sql(String.format(AGE_SEEN, "interval '30 seconds'"), browser.csrf());
    Instant before = Instant.parse(browser.get("/api/v1/sessions/current").json().getString("expires_at"));
    Instant again = Instant.parse(browser.get("/api/v1/sessions/current").json().getString("expires_at"));
    assertEquals(before, again, "used within the minute: nothing written");
    assertTrue(Duration.between(Instant.now().plus(Duration.ofMinutes(30)), before).toSeconds() < -20,
        "expiry counted from the use 30 s ago: " + before);
    TestPeople.sql(String.format(AGE_SEEN, "interval '2 minutes'"), browser.csrf());
    Instant touched = Instant.parse(browser.get("/api/v1/sessions/current").json().getString("expires_at"));
    assertTrue(Math.abs(Duration.between(Instant.now().plus(Duration.ofMinutes(30)), touched).toSeconds()) < 15,
        "a use a minute or more after the last is written: " + touched);
  }

  @Test
  void disablingAPersonOrChangingTheirRoleEndsTheirSessionsAtOnce() {
    JsonObject person = TestPeople.make("operator");
    String path = "/api/v1/users/" + person.getLong("id");
    Person first = signedIn(person);
    Person second = signedIn(person);
    assertEquals(200, TestSiyu.admin().patch(path, new JsonObject().put("display_name", "Renamed")).status());
    assertEquals(200, first.get("/api/v1/sessions/current").status(), "a new name ends nothing");

    assertEquals(200, TestSiyu.admin().patch(path, new JsonObject().put("role", "manager")).status());
    assertEquals(401, first.get("/api/v1/sessions/current").status(), "a new role: sign in again");
    assertEquals(401, second.get("/api/v1/sessions/current").status());
    Person asManager = signedIn(person);
    assertEquals("manager", asManager.get("/api/v1/sessions/current").json().getJsonObject("user").getString("role"));

    Api.Reply disabled = TestSiyu.admin().patch(path, new JsonObject().put("disabled", true));
    assertEquals(200, disabled.status());
    assertTrue(disabled.json().getBoolean("disabled"));
    assertEquals(401, asManager.get("/api/v1/contacts?limit=1").status(), "ended at once");
    Api.Reply refused = Person.ofTestServer().from(address()).signIn(person.getString("email"), TestPeople.PASSWORD);
    assertEquals(401, refused.status(), "a disabled person cannot sign in");

    assertEquals(200, TestSiyu.admin().patch(path, new JsonObject().put("disabled", false)).status());
    assertEquals(201, Person.ofTestServer().from(address()).signIn(person.getString("email"), TestPeople.PASSWORD).status());
  }

  @Test
  void aPasswordChangeEndsTheOtherSessionsAndKeepsThisOne() {
    JsonObject person = TestPeople.make("operator");
    String email = person.getString("email");
    Person here = signedIn(person);
    Person elsewhere = signedIn(person);
    String next = "a new and longer passphrase";

    Api.Reply wrong = here.post("/api/v1/users/me/password",
        new JsonObject().put("current_password", "not the password at all").put("new_password", next));
    assertEquals(422, wrong.status(), wrong.body());
    assertEquals("current_password", wrong.errorField());
    Api.Reply weak = here.post("/api/v1/users/me/password",
        new JsonObject().put("current_password", TestPeople.PASSWORD).put("new_password", "short"));
    assertEquals(422, weak.status());
    assertEquals("new_password", weak.errorField());
    assertEquals(422, here.post("/api/v1/users/me/password",
        new JsonObject().put("current_password", TestPeople.PASSWORD).put("new_password", TestPeople.PASSWORD)).status(),
        "the same password is no change");

    Api.Reply changed = here.post("/api/v1/users/me/password",
        new JsonObject().put("current_password", TestPeople.PASSWORD).put("new_password", next));
    assertEquals(204, changed.status(), changed.body());
    assertEquals(200, here.get("/api/v1/sessions/current").status(), "this session goes on");
    assertEquals(401, elsewhere.get("/api/v1/sessions/current").status(), "the others end");
    assertEquals(401, Person.ofTestServer().from(address()).signIn(email, TestPeople.PASSWORD).status());
    assertEquals(201, Person.ofTestServer().from(address()).signIn(email, next).status());

    Api.Reply token = TestSiyu.withRole("operator").post("/api/v1/users/me/password",
        new JsonObject().put("current_password", "whatever it is").put("new_password", next + " again"));
    assertEquals(401, token.status(), "an API token has no password");
  }

  @Test
  void theBootstrapAdminSignsInAndWorksAsAnAdmin() {
    Person admin = Person.ofTestServer().from(address()).signedIn(TestSiyu.ADMIN_EMAIL, TestSiyu.ADMIN_PASSWORD);
    JsonObject me = admin.get("/api/v1/sessions/current").json().getJsonObject("user");
    assertEquals("admin", me.getString("role"));
    assertEquals(TestSiyu.ADMIN_EMAIL, me.getString("email"));
    assertEquals(200, admin.get("/api/v1/users").status());
    assertNotEquals(0, admin.get("/api/v1/users").items().size());
  }
}
