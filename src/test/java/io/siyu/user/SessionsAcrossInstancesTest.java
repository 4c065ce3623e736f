package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.app.Siyu;
import io.siyu.support.Api;
import io.siyu.support.Person;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one database: a session made on one is good on the other, and a sign-out, a
 * disabled person and a lock made on one hold on the other at once (nothing is cached per instance).
 */
class SessionsAcrossInstancesTest {
  @RegisterExtension
  static final OwnServer first = new OwnServer(Map.of());

  @Test
  void signOutDisableAndLocksTakeEffectOnEveryInstanceAtOnce() throws Exception {
    Siyu second = first.secondInstance(Map.of());
    try {
      Api.Reply made = first.api().post("/api/v1/users", new JsonObject().put("email", "both@example.com")
          .put("display_name", "Both").put("role", "operator").put("password", TestPeople.PASSWORD));
      assertEquals(201, made.status(), made.body());
      String path = "/api/v1/users/" + made.json().getLong("id");

      Person onFirst = new Person(first.siyu()).signedIn("both@example.com", TestPeople.PASSWORD);
      Person onSecond = onFirst.copy(second);
      assertEquals(200, onSecond.get("/api/v1/sessions/current").status(), "one session, whichever instance answers");
      assertEquals(204, onSecond.delete("/api/v1/sessions/current").status());
      assertEquals(401, onFirst.get("/api/v1/sessions/current").status(), "signed out on the other instance: ended here");

      Person again = new Person(first.siyu()).signedIn("both@example.com", TestPeople.PASSWORD);
      assertEquals(200, TestSiyu.admin(second).patch(path, new JsonObject().put("disabled", true)).status());
      assertEquals(401, again.get("/api/v1/contacts?limit=1").status(), "disabled on the other instance: ended here");

      String nobody = "nobody@example.com";
      for (int i = 0; i < 5; i++) {
        assertEquals(401, new Person(first.siyu()).from("10.7.0." + i).signIn(nobody, "wrong password").status());
      }
      Api.Reply locked = new Person(second).from("10.7.1.1").signIn(nobody, "wrong password");
      assertEquals(429, locked.status(), "the lock made on one instance holds on the other: " + locked.body());
    } finally {
      TestSiyu.stop(second);
    }
  }
}
