package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.support.Await;
import io.siyu.support.OwnServer;
import io.siyu.support.WebhookSink;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WeCom welcome (its code expires within seconds) does not wait behind a backlog: with one send
 * at a time, it goes before touches that were queued earlier, in the database and in the
 * dispatcher's memory.
 */
class TouchPriorityTest {
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();

  @RegisterExtension
  static final OwnServer server = new OwnServer(sink.env("whsec-" + unique()),
      Map.of("SIYU_OUTBOX_CONCURRENCY", "1", "SIYU_OUTBOX_POLL_MS", "60000"));

  /**
   * Twenty transactional touches to a slow receiver are claimed at once and wait in the
   * dispatcher's memory for the one send slot; a welcome written after that claim is claimed by the
   * next one and sent as soon as the slot is free, not after the twenty.
   */
  @Test
  void aWelcomeClaimedAfterABacklogGoesBeforeIt() throws Exception {
    Siyu siyu = server.siyu();
    long contact = Touches.contact(server.api());
    String k = unique();
    List<String> backlog = new ArrayList<>();
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      for (int i = 0; i < 20; i++) {
        backlog.add(k + "-b" + i);
        sink.scriptSlow(k + "-b" + i, 300);
        Outbox.enqueue(conn, new TouchRequest(k + "-b" + i, contact, "welcome", null, "send", "webhook", "notice",
            new JsonObject().put("kind", "transactional").encode()));
      }
      conn.commit();
    }
    siyu.services().dispatcher().wake();
    Touches.await(server.api(), Touches.idOf(siyu, k + "-b0"), "sending");

    Await.result(Outbox.enqueue(siyu.services().pool(), new TouchRequest(k + "-w", contact, "welcome", null, "send", "log",
        "welcome", new JsonObject().put("welcome_code", "WC-" + k).put("kind", "transactional").encode())));
    siyu.services().dispatcher().wake();
    Touches.await(server.api(), Touches.idOf(siyu, k + "-w"), "sent");
    long sentBefore = backlog.stream().filter(key -> !sink.calls(key).isEmpty()).count();
    assertTrue(sentBefore <= 3, "the welcome went after " + sentBefore + " of the 20 touches claimed before it");
  }

  @Test
  void aWelcomeGoesBeforeEarlierMarketing() throws Exception {
    Siyu siyu = server.siyu();
    long contact = Touches.contact(server.api());
    String k = unique();
    // written without waking the dispatcher, which looks only once a minute here; in one transaction,
    // so a claim woken by something else (the contact's own events) sees all six touches or none
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      for (int i = 0; i < 5; i++) {
        Outbox.enqueue(conn, new TouchRequest(k + "-m" + i, contact, "welcome", null, "send", "log", "welcome", "{}"));
      }
      // the welcome is queued last, at the same moment: only its priority puts it first
      Outbox.enqueue(conn, new TouchRequest(k + "-w", contact, "welcome", null, "send", "log", "welcome",
          new JsonObject().put("welcome_code", "WC-" + k).put("kind", "transactional").encode()));
      conn.commit();
    }
    siyu.services().dispatcher().wake();
    long welcome = Touches.idOf(siyu, k + "-w");
    Touches.await(server.api(), welcome, "sent");
    for (int i = 0; i < 5; i++) {
      Touches.await(server.api(), Touches.idOf(siyu, k + "-m" + i), "sent");
    }
    // one send at a time: the order of sending is the order of the sends' results
    Timestamp welcomeSent = sentAt(welcome);
    for (int i = 0; i < 5; i++) {
      Timestamp other = sentAt(Touches.idOf(siyu, k + "-m" + i));
      assertTrue(welcomeSent.before(other), "welcome sent at " + welcomeSent + ", marketing " + i + " at " + other);
    }
  }

  private static Timestamp sentAt(long touchId) throws Exception {
    try (Connection conn = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = conn.prepareStatement(
        "SELECT sent_at FROM touches WHERE id = ?")) {
      ps.setLong(1, touchId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1);
      }
    }
  }
}
