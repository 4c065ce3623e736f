package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.support.Api;
import io.siyu.support.Await;
import io.siyu.support.Eventually;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writing touches inside someone else's transaction, and what the shared server (log channel, no
 * webhook configured) does with them.
 */
class OutboxTest {
  private static final Siyu siyu = TestSiyu.get();
  private static final Api api = TestSiyu.admin();

  private static long count(String sql, Object... params) throws Exception {
    try (Connection conn = siyu.database().jdbc().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void theSameKeyTwiceIsOneTouch() throws Exception {
    long c = Touches.contact(api);
    String key = "twice-" + unique();
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      assertTrue(Outbox.enqueue(conn, Touches.touch(key, c, "log")));
      assertFalse(Outbox.enqueue(conn, Touches.touch(key, c, "log")), "a repeat in the same transaction");
      conn.commit();
    }
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      assertFalse(Outbox.enqueue(conn, Touches.touch(key, c, "log")), "a repeat in a later transaction");
    }
    boolean again = Await.result(
        siyu.services().pool().withTransaction(conn -> Outbox.enqueue(conn, Touches.touch(key, c, "log"))));
    assertFalse(again, "the Vert.x door runs the same statement");

    assertEquals(1, count("SELECT count(*) FROM touches WHERE touch_key = ?", key));
    long id = Touches.idOf(siyu, key);
    assertEquals(1, count("SELECT count(*) FROM touch_history WHERE touch_id = ? AND status = 'queued'", id),
        "one enqueue, one history row");
  }

  @Test
  void erasingAContactTakesItsTouchesHistoryQueueAndCapPlacesAlongAndNoOneElses() throws Exception {
    long erased = Touches.contact(api);
    long kept = Touches.contact(api);
    String erasedKey = "erased-" + unique();
    String keptKey = "kept-" + unique();
    // held back a day, so both are still queued when the contact goes
    assertEquals(2, Touches.enqueueAdjusted(siyu, List.of(Touches.touch(erasedKey, erased, "log"),
        Touches.touch(keptKey, kept, "log")), "UPDATE touch_queue SET due_at = now() + interval '1 day' "
        + "WHERE touch_id IN (SELECT id FROM touches WHERE touch_key IN (?, ?))", erasedKey, keptKey));
    long erasedId = Touches.idOf(siyu, erasedKey);
    long keptId = Touches.idOf(siyu, keptKey);
    // places of the frequency cap, a while ago (so they hold back none of the shared server's touches)
    assertEquals(2, count("WITH i AS (INSERT INTO contact_send_days (contact_id, day, sent) "
        + "VALUES (?, current_date - 3, 1), (?, current_date - 3, 1) RETURNING 1) SELECT count(*) FROM i", erased, kept));

    assertEquals(204, api.delete("/api/v1/contacts/" + erased).status());

    assertEquals(0, count("SELECT count(*) FROM contact_send_days WHERE contact_id = ?", erased));
    assertEquals(1, count("SELECT count(*) FROM contact_send_days WHERE contact_id = ?", kept));

    assertEquals(0, count("SELECT count(*) FROM touches WHERE id = ?", erasedId));
    assertEquals(0, count("SELECT count(*) FROM touch_history WHERE touch_id = ?", erasedId));
    assertEquals(0, count("SELECT count(*) FROM touch_queue WHERE touch_id = ?", erasedId));
    assertEquals(1, count("SELECT count(*) FROM touches WHERE id = ?", keptId));
    assertEquals(1, count("SELECT count(*) FROM touch_history WHERE touch_id = ?", keptId));
    assertEquals(1, count("SELECT count(*) FROM touch_queue WHERE touch_id = ?", keptId));
    // released, so the shared server sends it rather than keep it for a day
    assertEquals(1, count("WITH u AS (UPDATE touch_queue SET due_at = now() WHERE touch_id = ? RETURNING 1) "
        + "SELECT count(*) FROM u", keptId));
  }

  /** A cap counts a week back; places of older days are dropped, so the table does not grow for ever. */
  @Test
  void capPlacesOlderThanAWeekAreForgotten() throws Exception {
    long c = Touches.contact(api);
    assertEquals(4, count("WITH i AS (INSERT INTO contact_send_days (contact_id, day, sent) SELECT ?, "
        + "(now() AT TIME ZONE 'UTC')::date - d, 1 FROM unnest(ARRAY[20, 9, 6, 0]) d RETURNING 1) SELECT count(*) FROM i", c));
    Await.result(new SendLimits(siyu.services().pool(), SendLimits.Cap.NONE).forgetOldDays(java.time.Instant.now()));
    assertEquals(2, count("SELECT count(*) FROM contact_send_days WHERE contact_id = ? "
        + "AND day >= (now() AT TIME ZONE 'UTC')::date - 6", c), "the last week stays");
    assertEquals(2, count("SELECT count(*) FROM contact_send_days WHERE contact_id = ?", c), "the older days are gone");
  }

  /**
   * A claim leases, and a record updates, every row of a page in one transaction; each page keeps
   * room for all of their next versions, so none leaves its page and none writes index entries
   * (V33). Seen in two ways: every touch is still in the page it was written to, and PostgreSQL's
   * count of heap-only updates (which the dispatcher's connections report when idle, within about
   * ten seconds) grew by a claim and a record of each. At the fillfactor of 70 before, most of
   * these touches left their page.
   */
  @Test
  void aClaimAndARecordOfAWholePageUpdateEveryRowInPlace() throws Exception {
    long c = Touches.contact(api);
    String prefix = "page-" + unique() + "-";
    long[] before = heapOnlyUpdates();
    Map<String, String> pages = new java.util.HashMap<>();
    // written in one transaction, so together in their pages, and seen by the dispatcher all at once
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      for (int i = 0; i < 150; i++) {
        Outbox.enqueue(conn, Touches.touch(prefix + i, c, "log"));
      }
      pages.putAll(pagesOf(conn, prefix));
      conn.commit();
    }
    siyu.services().dispatcher().wake();
    for (int i = 0; i < 600 && count("SELECT count(*) FROM touches WHERE touch_key LIKE ? AND status = 'sent'",
        prefix + "%") < 150; i++) {
      Eventually.sleep(50);
    }
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      Map<String, String> now = pagesOf(conn, prefix);
      assertEquals(150, count("SELECT count(*) FROM touches WHERE touch_key LIKE ? AND status = 'sent'", prefix + "%"));
      assertEquals(0, pages.keySet().stream().filter(key -> !pages.get(key).equals(now.get(key))).count(),
          "sent touches that left the page they were written to");
    }
    long[] after = heapOnlyUpdates();
    for (int i = 0; i < 300 && (after[0] - before[0] < 150 || after[1] - before[1] < 150); i++) {
      Eventually.sleep(100);
      after = heapOnlyUpdates();
    }
    assertTrue(after[0] - before[0] >= 150, "heap-only updates of touches: " + (after[0] - before[0]));
    assertTrue(after[1] - before[1] >= 150, "heap-only updates of queue places: " + (after[1] - before[1]));
  }

  /** Each touch's page (the block of its ctid), by key. */
  private static Map<String, String> pagesOf(Connection conn, String prefix) throws Exception {
    Map<String, String> pages = new java.util.HashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT touch_key, split_part(trim(ctid::text, '()'), ',', 1) FROM touches WHERE touch_key LIKE ?")) {
      ps.setString(1, prefix + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pages.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    assertEquals(150, pages.size());
    return pages;
  }

  /** Heap-only updates so far: of touches, then of touch_queue. */
  private static long[] heapOnlyUpdates() throws Exception {
    return new long[] {count("SELECT pg_stat_get_tuples_hot_updated('touches'::regclass)"),
        count("SELECT pg_stat_get_tuples_hot_updated('touch_queue'::regclass)")};
  }

  @Test
  void theVertxDoorWritesAndTheLogChannelSends() throws Exception {
    long c = Touches.contact(api);
    String key = "vertx-" + unique();
    boolean written = Await.result(Outbox.enqueue(siyu.services().pool(), Touches.touch(key, c, "log")));
    assertTrue(written);
    siyu.services().dispatcher().wake();
    long id = Touches.idOf(siyu, key);
    JsonObject t = Touches.await(api, id, "sent");
    assertEquals(1, t.getInteger("attempts"));
    assertEquals(List.of("queued", "sending", "sent"), Touches.statuses(t));
    // stored as one row per attempt: its result, with its number and when it was claimed
    assertEquals(2, count("SELECT count(*) FROM touch_history WHERE touch_id = ?", id));
    assertEquals(1, count("SELECT count(*) FROM touch_history WHERE touch_id = ? AND status = 'sent' AND attempt = 1 "
        + "AND started_at <= at", id));
    JsonObject sending = t.getJsonArray("history").getJsonObject(1);
    assertEquals("attempt 1", sending.getString("detail"));
    assertTrue(sending.getString("at").compareTo(t.getJsonArray("history").getJsonObject(2).getString("at")) <= 0,
        "claimed before its result: " + t.getJsonArray("history"));
    assertEquals("logged", t.getJsonArray("history").getJsonObject(2).getString("detail"));
    assertEquals(new JsonObject().put("name", "李雷").put("coupon", 50), t.getJsonObject("payload"));
    assertEquals("welcome", t.getString("journey_key"));
    assertEquals("pi-" + key, t.getString("process_instance_id"));
    assertEquals("send_welcome", t.getString("activity_id"));
    assertEquals("welcome", t.getString("template_key"));
  }

  @Test
  void aRolledBackTransactionLeavesNoTouch() throws Exception {
    long c = Touches.contact(api);
    String key = "rollback-" + unique();
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      assertTrue(Outbox.enqueue(conn, Touches.touch(key, c, "log")));
      conn.rollback();
    }
    assertEquals(0, count("SELECT count(*) FROM touches WHERE touch_key = ?", key));
  }

  @Test
  void anUnknownContactFailsTheWritersTransaction() throws Exception {
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      assertThrows(java.sql.SQLException.class,
          () -> Outbox.enqueue(conn, Touches.touch("orphan-" + unique(), 987654321L, "log")));
    }
  }

  @Test
  void requestsAreCheckedBeforeTheyReachSql() {
    assertThrows(IllegalArgumentException.class, () -> Touches.touch("", 1, "log"));
    assertThrows(IllegalArgumentException.class, () -> Touches.touch("k".repeat(201), 1, "log"));
    assertThrows(IllegalArgumentException.class, () -> Touches.touch("k", 0, "log"));
    assertThrows(IllegalArgumentException.class, () -> Touches.touch("k", 1, " "));
    assertThrows(IllegalArgumentException.class,
        () -> new TouchRequest("k", 1, null, null, null, "log", "t", "[1, 2]"));
    assertThrows(IllegalArgumentException.class,
        () -> new TouchRequest("k", 1, null, null, null, "log", "t", "{not json"));
    assertThrows(IllegalArgumentException.class,
        () -> new TouchRequest("k", 1, null, null, null, "log", "t", Map.of("a", "x\u0000y")));
    assertThrows(IllegalArgumentException.class, () -> Touches.touch("k\u0000", 1, "log"));
    assertEquals("{}", new TouchRequest("k", 1, null, null, null, "log", "t", (String) null).payload());
    assertEquals("{\"a\":1}", new TouchRequest("k", 1, null, null, null, "log", "t", Map.of("a", 1)).payload());
  }

  @Test
  void unknownChannelsAndAnUnconfiguredWebhookAreDeadAtOnce() throws Exception {
    long c = Touches.contact(api);
    String pigeon = "pigeon-" + unique();
    String webhook = "nohook-" + unique();
    List<Long> ids = Touches.enqueue(siyu, Touches.touch(pigeon, c, "pigeon"), Touches.touch(webhook, c, "webhook"));

    JsonObject dead = Touches.await(api, ids.get(0), "dead");
    assertEquals(1, dead.getInteger("attempts"));
    assertEquals("unknown channel: pigeon", dead.getString("last_error"));
    assertEquals(List.of("queued", "sending", "dead"), Touches.statuses(dead));

    JsonObject unconfigured = Touches.await(api, ids.get(1), "dead");
    assertEquals("webhook channel not configured", unconfigured.getString("last_error"));
  }

  @Test
  void theChannelsOnTheClassPathAreLoaded() {
    ChannelContext context = new ChannelContext(siyu.vertx(), siyu.config().env(), siyu.config().outbox());
    assertTrue(Channels.load(context, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), List.of()).names()
        .containsAll(List.of("log", "webhook", "sms", "email")));
  }
}
