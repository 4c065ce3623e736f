package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Eventually;
import io.siyu.support.Ports;
import io.siyu.support.SiyuProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Siyu killed with SIGKILL, as a real process, and started again on the same data directory with
 * its embedded database: the next start clears what the killed one left running and comes up on
 * the same data; a Siyu killed alone takes its database with it. The restarted process's log also
 * shows that a start and a few HTTP connections log no duplicate-gauge warning.
 */
class CrashRestartTest {
  /** Generous for a loaded two-core machine; a start that stumbles on the old database never gets up. */
  private static final Duration START = Duration.ofSeconds(240);

  @Test
  void aSiyuKilledWithItsWatchdogLeavesAPostmasterTheNextStartStopsAndReplaces() throws Exception {
    Path data = Files.createTempDirectory("siyu-crash");
    long contact;
    ProcessHandle orphan;
    try (SiyuProcess first = SiyuProcess.start(data, Map.of())) {
      first.awaitUp(START);
      contact = createContact(first, "13900000001");
      orphan = SiyuProcess.postmaster(data).orElseThrow();
      killWithWatchdog(first);
    }
    assertTrue(orphan.isAlive(), "the killed Siyu's postmaster runs on without it");

    try (SiyuProcess second = SiyuProcess.start(data, Map.of())) {
      long started = System.nanoTime();
      second.awaitUp(START);
      System.out.printf("Up again after a crash in %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());
      assertFalse(orphan.isAlive(), "the earlier postmaster was stopped");
      assertContact(second, contact);
      assertNoDuplicateGaugeWarning(second);

      // killed alone, Siyu takes its database with it: the watchdog stops the postmaster
      ProcessHandle postmaster = SiyuProcess.postmaster(data).orElseThrow();
      second.kill();
      Eventually.await("the postmaster stopped after its Siyu was killed", () -> !postmaster.isAlive());
    }
  }

  @Test
  void withAFixedPortTheNextStartDoesNotReuseTheOrphanedPostmaster() throws Exception {
    Path data = Files.createTempDirectory("siyu-crash-port");
    Map<String, String> env = Map.of("SIYU_EMBEDDED_DB_PORT", String.valueOf(Ports.free()));
    long contact;
    ProcessHandle orphan;
    try (SiyuProcess first = SiyuProcess.start(data, env)) {
      first.awaitUp(START);
      contact = createContact(first, "13900000002");
      orphan = SiyuProcess.postmaster(data).orElseThrow();
      killWithWatchdog(first);
    }
    assertTrue(orphan.isAlive(), "the killed Siyu's postmaster runs on without it");

    try (SiyuProcess second = SiyuProcess.start(data, env)) {
      second.awaitUp(START);
      ProcessHandle postmaster = SiyuProcess.postmaster(data).orElseThrow();
      assertNotEquals(orphan.pid(), postmaster.pid(), "a postmaster of this Siyu's own, on the same port");
      assertFalse(orphan.isAlive(), "the orphan was stopped, not taken over unknowingly");
      assertContact(second, contact);
      assertEquals(201, second.admin().post("/api/v1/contacts", new JsonObject().put("mobile", "13900000003")).status());
    }
  }

  /** Kills the watchdog first, as where there is no shell, or when the whole process group is killed. */
  private static void killWithWatchdog(SiyuProcess siyu) throws Exception {
    for (ProcessHandle watchdog : siyu.watchdog().stream().toList()) {
      watchdog.destroyForcibly();
      watchdog.onExit().get();
    }
    siyu.kill();
  }

  private static long createContact(SiyuProcess siyu, String mobile) {
    Reply created = siyu.admin().post("/api/v1/contacts", new JsonObject().put("mobile", mobile).put("name", "崩溃"));
    assertEquals(201, created.status(), created.toString());
    return created.json().getLong("id");
  }

  private static void assertContact(SiyuProcess siyu, long id) {
    Reply again = siyu.admin().get("/api/v1/contacts/" + id);
    assertEquals(200, again.status(), again.toString());
    assertEquals("崩溃", again.json().getString("name"));
  }

  /**
   * Vert.x's metrics register a gauge again for each new HTTP connection; Micrometer's warning about
   * it said nothing about Siyu, and is not logged.
   */
  private static void assertNoDuplicateGaugeWarning(SiyuProcess siyu) throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, siyu.api("").get("/health").status()); // a client, so a connection, of its own each
    }
    List<String> warnings = siyu.log().stream().filter(l -> l.contains("already registered")).toList();
    assertEquals(List.of(), warnings);
  }
}
