package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.app.Siyu;
import io.siyu.support.Eventually;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.siyu.support.WebhookSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Siyu instances on one database, both dispatching to one receiver: every touch is claimed
 * by one of them and arrives once.
 */
class TwoInstancesTest {
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();
  private static final Map<String, String> ENV = Map.of(
      "SIYU_WEBHOOK_URL", sink.url(),
      "SIYU_WEBHOOK_SECRET", "two-instances",
      "SIYU_OUTBOX_POLL_MS", "10",
      // small claims, so the two instances take turns many times over 200 touches
      "SIYU_OUTBOX_CONCURRENCY", "4");

  @RegisterExtension
  static final OwnServer first = new OwnServer(ENV);

  @Test
  void twoDispatchersNeverSendATouchTwice() throws Exception {
    Siyu other = first.secondInstance(ENV);
    try {
      long contact = Touches.contact(first.api());
      String prefix = "twice-" + unique() + "-";
      TouchRequest[] touches = IntStream.range(0, 200)
          .mapToObj(i -> Touches.touch(prefix + i, contact, "webhook")).toArray(TouchRequest[]::new);
      Touches.enqueue(first.siyu(), touches);
      other.services().dispatcher().wake();

      awaitAllSent(prefix, 200);
      Map<String, Integer> deliveries = sink.allCalls().entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
      assertEquals(200, deliveries.size(), "every touch arrived");
      List<String> twice = deliveries.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
      assertEquals(List.of(), twice, "touches that arrived more than once");
      assertEquals(200, count("SELECT count(*) FROM touches WHERE touch_key LIKE ? AND attempts = 1", prefix + "%"));
    } finally {
      TestSiyu.stop(other);
    }
  }

  private static void awaitAllSent(String prefix, int n) throws Exception {
    long sent = 0;
    for (int i = 0; i < 1200 && sent < n; i++) {
      Eventually.sleep(50);
      sent = count("SELECT count(*) FROM touches WHERE touch_key LIKE ? AND status = 'sent'", prefix + "%");
    }
    assertEquals(n, sent, "touches sent");
  }

  private static long count(String sql, String param) throws Exception {
    try (Connection conn = first.siyu().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
