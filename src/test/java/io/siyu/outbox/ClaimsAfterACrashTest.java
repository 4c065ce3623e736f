package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.support.Await;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.siyu.support.WebhookSink;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Touches an instance had claimed when it was killed: the same instance (the same SIYU_INSTANCE_ID),
 * started again, sends them at once instead of after the five-minute lease; claims of other
 * instances keep their lease, also when a running instance shares the starting one's id.
 */
class ClaimsAfterACrashTest {
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();
  /** The id of the server below, running all along. */
  private static final UUID RUNNING = UUID.randomUUID();
  private static final Map<String, String> ENV = Map.of(
      "SIYU_WEBHOOK_URL", sink.url(),
      "SIYU_WEBHOOK_SECRET", "claims-" + unique(),
      "SIYU_OUTBOX_POLL_MS", "50");

  @RegisterExtension
  static final OwnServer server = new OwnServer(with(ENV, RUNNING));

  /**
   * The running server's dispatcher stops (its outbox sessions stay connected): every touch sent in
   * these tests is sent by the instance a test starts, after that instance freed what it could.
   */
  @BeforeAll
  static void onlyTheStartedInstancesSend() throws Exception {
    Await.result(server.siyu().services().dispatcher().stop());
  }

  @Test
  void aRestartedInstanceSendsWhatItHadClaimedAtOnceAndOtherInstancesClaimsKeepTheirLease() throws Exception {
    UUID crashed = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    String mine = "crashed-" + unique();
    String theirs = "other-" + unique();
    claimed(mine, crashed);
    claimed(theirs, other);

    Siyu restarted = server.secondInstance(with(ENV, crashed));
    try {
      JsonObject t = Touches.await(server.api(), Touches.idOf(server.siyu(), mine), "sent");
      assertEquals(2, t.getInteger("attempts"), "the lost attempt counts");
      assertEquals(List.of("queued", "sending", "queued", "sending", "sent"), Touches.statuses(t));
      assertTrue(Touches.details(t).get(2).startsWith("no result: instance " + crashed + " stopped"),
          Touches.details(t).toString());
      assertEquals(1, sink.calls(mine).size(), "sent once, with its touch key");

      assertStillLeased(theirs, other);
    } finally {
      TestSiyu.stop(restarted);
    }
  }

  @Test
  void anInstanceStartingUnderTheIdOfARunningOneLeavesItsClaimsAlone() throws Exception {
    String held = "held-" + unique();
    String fresh = "fresh-" + unique();
    claimed(held, RUNNING);
    Touches.enqueue(server.siyu(), Touches.touch(fresh, Touches.contact(server.api()), "webhook"));

    Siyu twin = server.secondInstance(with(ENV, RUNNING));
    try {
      // the twin freed what it could before its first claim, and only it sends
      Touches.await(server.api(), Touches.idOf(server.siyu(), fresh), "sent");
      assertStillLeased(held, RUNNING);
    } finally {
      TestSiyu.stop(twin);
    }
  }

  /** A touch as {@code instance} leaves it when killed mid-send: its first attempt claimed, leased for five minutes. */
  private static void claimed(String key, UUID instance) throws Exception {
    assertEquals(1, Touches.enqueueAdjusted(server.siyu(),
        List.of(Touches.touch(key, Touches.contact(server.api()), "webhook")),
        "UPDATE touch_queue q SET attempts = 1, claimed_at = now() - interval '1 second', "
            + "leased_until = now() + interval '5 minutes', claimed_by = ? FROM touches t "
            + "WHERE t.id = q.touch_id AND t.touch_key = ?", Dispatcher.claimKey(instance), key));
  }

  private static void assertStillLeased(String key, UUID instance) throws Exception {
    assertEquals("sending", server.api().get("/api/v1/touches/" + Touches.idOf(server.siyu(), key)).json()
        .getString("status"));
    assertEquals(0, sink.calls(key).size());
    try (Connection c = server.siyu().database().jdbc().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT q.claimed_by, q.leased_until > now() + interval '4 minutes' "
            + "FROM touch_queue q JOIN touches t ON t.id = q.touch_id WHERE t.touch_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(Dispatcher.claimKey(instance), rs.getLong(1));
        assertTrue(rs.getBoolean(2), "its lease is as it was");
      }
    }
  }

  private static Map<String, String> with(Map<String, String> env, UUID instance) {
    Map<String, String> all = new HashMap<>(env);
    all.put("SIYU_INSTANCE_ID", instance.toString());
    return all;
  }
}
