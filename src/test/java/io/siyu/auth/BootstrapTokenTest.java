package io.siyu.auth;

import static io.siyu.support.TestSiyu.as;
import static io.siyu.support.TestSiyu.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Config;
import io.siyu.app.Siyu;
import io.siyu.support.Api;
import io.siyu.support.ConsoleCapture;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap admin token across restarts of one Siyu on one database: a revoked one stays
 * revoked, a new value of SIYU_ADMIN_TOKEN revokes the old one, a weak one stops the start, the
 * listed prefix never gives a token away, and a generated one is printed after the start-up log.
 */
class BootstrapTokenTest {

  /** What {@code openssl rand -base64 32} prints. */
  private static String strongToken() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A config for the embedded database under {@code dataDir} with {@code token} (null: unset). */
  private static Config config(String dataDir, String token) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SIYU_DB_URL", ""); // restarts need the embedded database, whatever the suite runs on
    env.put("SIYU_DATA_DIR", dataDir);
    env.put("SIYU_ADMIN_TOKEN", token == null ? "" : token);
    return TestSiyu.freshConfig(env);
  }

  private static long bootstrapId(Api admin) {
    return admin.get("/api/v1/tokens?limit=500").items().stream().map(t -> (JsonObject) t)
        .filter(t -> t.getBoolean("bootstrap") && t.getValue("revoked_at") == null)
        .mapToLong(t -> t.getLong("id")).findFirst().orElseThrow();
  }

  @Test
  void aRevokedBootstrapTokenStaysRevokedAcrossARestart() throws Exception {
    String dir = Files.createTempDirectory("siyu-bootstrap").toString();
    String token = strongToken();
    String other;
    Siyu first = TestSiyu.start(config(dir, token));
    try {
      Api admin = as(first, token);
      other = admin.post("/api/v1/tokens", new JsonObject().put("name", "ops").put("role", "admin")).json()
          .getString("token");
      assertEquals(204, as(first, other).delete("/api/v1/tokens/" + bootstrapId(admin)).status());
      assertEquals(401, admin.get("/api/v1/tokens").status());
    } finally {
      stop(first);
    }

    Siyu second = TestSiyu.start(config(dir, token));
    try {
      assertEquals(401, as(second, token).get("/api/v1/tokens").status(), "the restart does not revive it");
      assertEquals(200, as(second, other).get("/api/v1/tokens").status());
    } finally {
      stop(second);
    }
  }

  @Test
  void aNewValueRevokesThePreviousBootstrapToken() throws Exception {
    String dir = Files.createTempDirectory("siyu-bootstrap").toString();
    String old = strongToken();
    Siyu first = TestSiyu.start(config(dir, old));
    try {
      assertEquals(200, as(first, old).get("/api/v1/tokens").status());
    } finally {
      stop(first);
    }

    String changed = strongToken();
    Siyu second = TestSiyu.start(config(dir, changed));
    try {
      assertEquals(401, as(second, old).get("/api/v1/tokens").status(), "the old value no longer opens anything");
      Api admin = as(second, changed);
      var tokens = admin.get("/api/v1/tokens?limit=500&sort=id").items();
      assertEquals(2, tokens.size(), tokens.encode());
      assertNotNull(tokens.getJsonObject(0).getValue("revoked_at"), "the old one is listed as revoked");
      assertNull(tokens.getJsonObject(1).getValue("revoked_at"));
      assertEquals(changed.substring(0, 4), tokens.getJsonObject(1).getString("token_prefix"));
    } finally {
      stop(second);
    }
  }

  @Test
  void aWeakTokenStopsTheStartSayingHowToMakeOne() {
    for (String weak : new String[] {"letmein1", "siyu_test_admin", "a".repeat(64), "0123456789abcdef0123456789abcde",
        "correct horse battery staple"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Config.fromMap(Map.of("SIYU_ADMIN_TOKEN", weak)), weak);
      assertTrue(e.getMessage().startsWith("SIYU_ADMIN_TOKEN "), e.getMessage());
      assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
      assertFalse(e.getMessage().contains(weak), "the message never shows the token: " + e.getMessage());
    }
    for (String strong : new String[] {strongToken(), "0123456789abcdef0123456789abcdef", TokenService.newSecret()}) {
      assertEquals(strong, Config.fromMap(Map.of("SIYU_ADMIN_TOKEN", strong)).adminToken());
    }
  }

  @Test
  void theShownPrefixIsAFewCharactersOfATokenLongEnoughToSpareThem() {
    String own = TokenService.newSecret();
    assertEquals(own.substring(0, 9), TokenStrength.shownPrefix(own), "siyu_ and four of its 43 random characters");
    String configured = strongToken();
    assertEquals(configured.substring(0, 4), TokenStrength.shownPrefix(configured));
    assertNull(TokenStrength.shownPrefix("0123456789abcdef0123456789abcdef"),
        "128 bits exactly: without four of them it would fall short, so nothing is shown");
    assertNull(TokenStrength.shownPrefix("letmein1"));

    JsonObject created = TestSiyu.admin().post("/api/v1/tokens", new JsonObject().put("name", "prefix").put("role", "manager"))
        .json();
    assertEquals(created.getString("token").substring(0, 9), created.getString("token_prefix"));
    for (Object t : TestSiyu.admin().get("/api/v1/tokens?limit=500").items()) {
      String prefix = ((JsonObject) t).getString("token_prefix");
      assertTrue(prefix == null || prefix.length() <= 9, "listed prefixes are a few characters: " + t);
    }
  }

  @Test
  void theFirstStartPrintsAGeneratedTokenAfterItsStartUpLog() throws Exception {
    String dir = Files.createTempDirectory("siyu-bootstrap").toString();
    ConsoleCapture printed = new ConsoleCapture();
    Siyu first = printed.during(() -> TestSiyu.start(config(dir, null)));
    String generated;
    try {
      String output = printed.text();
      Matcher banner = Pattern.compile("Siyu bootstrap admin token.*\\R\\s*(siyu_\\S+)\\s*\\R").matcher(output);
      assertTrue(banner.find(), output);
      generated = banner.group(1);
      int started = output.indexOf("Siyu started");
      assertTrue(started >= 0 && started < banner.start(), "the token comes after the start-up log:\n" + output);
      assertEquals(200, as(first, generated).get("/api/v1/tokens").status());
    } finally {
      stop(first);
    }

    printed.reset();
    Siyu second = printed.during(() -> TestSiyu.start(config(dir, null)));
    try {
      assertFalse(printed.text().contains("bootstrap admin token"), "printed once");
      assertEquals(200, as(second, generated).get("/api/v1/tokens").status());
    } finally {
      stop(second);
    }

    String configured = strongToken();
    Siyu third = TestSiyu.start(config(dir, configured));
    try {
      assertEquals(401, as(third, generated).get("/api/v1/tokens").status(),
          "setting SIYU_ADMIN_TOKEN replaces the generated bootstrap token");
      assertEquals(200, as(third, configured).get("/api/v1/tokens").status());
    } finally {
      stop(third);
    }
  }
}
