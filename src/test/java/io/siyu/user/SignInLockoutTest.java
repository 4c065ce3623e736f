package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Person;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wrong passwords lock, without telling which emails exist: an unknown email and a wrong password get
 * the same answer at the same cost; five failures for one email lock it (429, Retry-After, longer each
 * time); twenty from one address lock the address whatever the emails.
 */
class SignInLockoutTest {
  /** Ends the locks of {@code email} as if their time had passed. */
  private static void lockPasses(String email) {
    TestPeople.sql("UPDATE sign_in_throttles SET locked_until = now() - interval '1 second' "
        + "WHERE scope = 'email' AND key = encode(sha256(convert_to(lower($1), 'UTF8')), 'hex')", email);
  }

  private static Person from(String address) {
    return Person.ofTestServer().from(address);
  }

  @Test
  void anUnknownEmailAndAWrongPasswordLookTheSameAndCostTheSame() {
    JsonObject person = TestPeople.make("operator");
    List<Long> unknown = new ArrayList<>();
    List<Long> wrong = new ArrayList<>();
    Api.Reply a = null;
    Api.Reply b = null;
    // five of each, interleaved (the fifth wrong password is the last before the email locks)
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      a = from("10.2.0." + i).signIn(TestPeople.email(), "some wrong password");
      unknown.add(System.nanoTime() - t0);
      t0 = System.nanoTime();
      b = from("10.2.1." + i).signIn(person.getString("email"), "some wrong password " + i);
      wrong.add(System.nanoTime() - t0);
    }
    assertEquals(401, a.status());
    assertEquals(a.status(), b.status());
    assertEquals(a.body(), b.body(), "the same problem, word for word");
    assertEquals(a.headers().get("Content-Type"), b.headers().get("Content-Type"));
    long u = median(unknown);
    long w = median(wrong);
    // without the hash an unknown email would answer in a few ms against a hash's 50-250: a factor of 3
    // leaves room for a busy machine's noise
    assertTrue(u * 3 > w, "an unknown email costs a hash too: " + u / 1_000_000 + " ms against " + w / 1_000_000 + " ms");
  }

  @Test
  void fiveWrongPasswordsLockTheEmailLongerEachTime() {
    JsonObject person = TestPeople.make("operator");
    String email = person.getString("email");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, from("10.3.0." + i).signIn(email, "wrong password " + i).status(), "failure " + (i + 1));
    }
    Api.Reply locked = from("10.3.1.1").signIn(email, TestPeople.PASSWORD);
    assertEquals(429, locked.status(), "locked, even with the right password: " + locked.body());
    assertEquals("sign-in-locked", locked.problemType());
    int first = Integer.parseInt(locked.headers().get("Retry-After"));
    assertTrue(first > 50 && first <= 60, "the first lock is a minute: " + first);

    lockPasses(email);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, from("10.3.2." + i).signIn(email, "wrong password " + i).status());
    }
    int second = Integer.parseInt(from("10.3.3.1").signIn(email, TestPeople.PASSWORD).headers().get("Retry-After"));
    assertTrue(second > 110 && second <= 120, "the second, twice as long: " + second);

    lockPasses(email);
    assertEquals(201, from("10.3.4.1").signIn(email, TestPeople.PASSWORD).status(), "once it passes, the right password works");
    for (int i = 0; i < 4; i++) {
      assertEquals(401, from("10.3.5." + i).signIn(email, "wrong password " + i).status(),
          "a success started the count again");
    }
  }

  @Test
  void anEmailNoOneHasLocksAlikeSoALockTellsNothing() {
    String nobody = TestPeople.email();
    for (int i = 0; i < 5; i++) {
      assertEquals(401, from("10.4.0." + i).signIn(nobody, "wrong password " + i).status());
    }
    Api.Reply locked = from("10.4.1.1").signIn(nobody, "wrong password 6");
    assertEquals(429, locked.status());
    assertTrue(locked.headers().contains("Retry-After"));
  }

  @Test
  void manyFailuresFromOneAddressLockThatAddressOnly() {
    String address = "10.5.0.1";
    for (int i = 0; i < 20; i++) {
      assertEquals(401, from(address).signIn(TestPeople.email(), "wrong password").status(), "failure " + (i + 1));
    }
    JsonObject person = TestPeople.make("manager");
    Api.Reply locked = from(address).signIn(person.getString("email"), TestPeople.PASSWORD);
    assertEquals(429, locked.status(), locked.body());
    assertEquals(201, from("10.5.0.2").signIn(person.getString("email"), TestPeople.PASSWORD).status(),
        "another address is not locked");
  }

  @Test
  void aWrongCurrentPasswordCountsAsAFailedSignIn() {
    JsonObject person = TestPeople.make("operator");
    Person here = from("10.6.0.1").signedIn(person.getString("email"), TestPeople.PASSWORD);
    JsonObject guess = new JsonObject().put("new_password", "a brand new passphrase");
    for (int i = 0; i < 5; i++) {
      assertEquals(422, here.post("/api/v1/users/me/password", guess.copy().put("current_password", "guess " + i)).status());
    }
    Api.Reply locked = here.post("/api/v1/users/me/password", guess.copy().put("current_password", TestPeople.PASSWORD));
    assertEquals(429, locked.status(), locked.body());
    assertTrue(locked.headers().contains("Retry-After"));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
