package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.problem.Problem;
import io.siyu.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Argon2id PHC strings: their form, salts, verification, parameters carried along, and the password rules. */
class PasswordsTest {
  private static final Pattern PHC =
      Pattern.compile("\\$argon2id\\$v=19\\$m=47104,t=3,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");

  @Test
  void aHashIsAPhcStringWithItsOwnSaltAndVerifiesOnlyItsPassword() {
    String one = Passwords.hashNow("correct horse battery staple");
    String two = Passwords.hashNow("correct horse battery staple");
    assertTrue(PHC.matcher(one).matches(), one);
    assertNotEquals(one, two, "a new salt each time");
    assertTrue(Passwords.verifyNow("correct horse battery staple", one));
    assertTrue(Passwords.verifyNow("correct horse battery staple", two));
    assertFalse(Passwords.verifyNow("correct horse battery stapl", one));
    assertFalse(Passwords.verifyNow("Correct horse battery staple", one));
    assertFalse(Passwords.outdated(one));
  }

  @Test
  void aHashMadeWithOtherParametersStillVerifiesAndIsOutdated() {
    // Argon2id of "password" with salt "somesalt" (m=65536, t=2, p=1), the reference implementation's test vector
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertTrue(Passwords.verifyNow("password", reference));
    assertFalse(Passwords.verifyNow("passwore", reference));
    assertTrue(Passwords.outdated(reference));
  }

  @Test
  void beyondTheWaitingRoomASignInIsToldToComeBackInsteadOfQueueing() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Passwords passwords = new Passwords(vertx, 1, 2);
      List<Future<String>> taken = List.of(passwords.hash("first passphrase"), passwords.hash("second passphrase"));
      Future<Boolean> third = passwords.verify("third passphrase", null);
      Throwable refused = Await.failure(third);
      Problem busy = assertInstanceOf(Problem.class, refused);
      assertEquals(503, busy.status());
      assertEquals("busy", busy.slug());
      assertTrue(busy.retryAfterSeconds() > 0, "told when to come back");
      // the two that waited are hashed, and then there is room again
      for (Future<String> f : taken) {
        assertTrue(PHC.matcher(Await.result(f, Duration.ofSeconds(30))).matches());
      }
      assertFalse(Await.result(passwords.verify("third passphrase", null), Duration.ofSeconds(30)));
    } finally {
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }

  @Test
  void fullWidthDigitsAreTheDigitsTheyLookLike() {
    String phc = Passwords.hashNow("passphrase 2026");
    assertTrue(Passwords.verifyNow("passphrase ２０２６", phc), "NFKC: what a Chinese input method types");
  }

  @Test
  void thePasswordRules() {
    assertEquals("must be at least 12 characters", PasswordPolicy.problem("elevenchars", null));
    assertNull(PasswordPolicy.problem("twelve chars", null));
    assertNull(PasswordPolicy.problem("密码密码密码密码密码密码", null), "characters, not bytes");
    assertEquals("must not be the email address", PasswordPolicy.problem("Li.Na@Example.com", "li.na@example.com"));
    assertEquals("must be at most 256 characters", PasswordPolicy.problem("x".repeat(257), null));
  }
}
