package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Config;
import io.siyu.app.Siyu;
import io.siyu.support.Person;
import io.siyu.support.ConsoleCapture;
import io.siyu.support.TestSiyu;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The first person: made at the first start of an empty database as an admin with SIYU_ADMIN_EMAIL,
 * with SIYU_ADMIN_PASSWORD (held to the password rules) or else a generated password printed once
 * after the start-up log, never through the logger.
 */
class BootstrapAdminTest {

  private static Config config(String dataDir) throws Exception {
    // restarts need the embedded database, whatever the suite runs on; no SIYU_ADMIN_PASSWORD
    return TestSiyu.freshConfig(Map.of("SIYU_DB_URL", "", "SIYU_DATA_DIR", dataDir, "SIYU_ADMIN_PASSWORD", "",
        "SIYU_ADMIN_EMAIL", "Owner@Example.com"));
  }

  @Test
  void theFirstStartPrintsAGeneratedPasswordOnceAndItSignsIn() throws Exception {
    String dir = Files.createTempDirectory("siyu-bootstrap-admin").toString();
    ConsoleCapture printed = new ConsoleCapture();
    Siyu first = printed.during(() -> TestSiyu.start(config(dir)));
    String password;
    try {
      String output = printed.text();
      Matcher banner = Pattern.compile("Siyu admin sign-in.*\\R\\s*\\R\\s*email:\\s+(\\S+)\\R\\s*password:\\s+(\\S+)\\R")
          .matcher(output);
      assertTrue(banner.find(), output);
      assertEquals("Owner@Example.com", banner.group(1));
      password = banner.group(2);
      assertTrue(password.length() >= 20, password);
      int started = output.indexOf("Siyu started");
      assertTrue(started >= 0 && started < banner.start(), "the password comes after the start-up log:\n" + output);
      assertEquals(1, output.split(Pattern.quote(password), -1).length - 1, "printed once, and logged nowhere");

      Person admin = new Person(first).signedIn("owner@example.com", password);
      assertEquals("admin", admin.get("/api/v1/sessions/current").json().getJsonObject("user").getString("role"));
    } finally {
      TestSiyu.stop(first);
    }

    printed.reset();
    Siyu second = printed.during(() -> TestSiyu.start(config(dir)));
    try {
      assertFalse(printed.text().contains("admin sign-in"), "printed once: there is a person now");
      assertEquals(201, new Person(second).signIn("Owner@Example.com", password).status(), "the password holds");
    } finally {
      TestSiyu.stop(second);
    }
  }

  @Test
  void aPasswordThatBreaksTheRulesStopsTheStartWithoutBeingRepeated() {
    for (String weak : new String[] {"letmein", "admin@localhost"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Config.fromMap(Map.of("SIYU_ADMIN_PASSWORD", weak)), weak);
      assertTrue(e.getMessage().startsWith("SIYU_ADMIN_PASSWORD "), e.getMessage());
      assertFalse(e.getMessage().contains(weak), "the password is never shown: " + e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Config.fromMap(Map.of("SIYU_ADMIN_EMAIL", "no email")));
    assertEquals("a long enough passphrase",
        Config.fromMap(Map.of("SIYU_ADMIN_PASSWORD", "a long enough passphrase")).people().adminPassword());
  }
}
