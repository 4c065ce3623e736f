package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Eventually;
import io.siyu.support.OwnServer;
import io.siyu.support.WebhookSink;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sending policy end to end, through the dispatcher of a server of its own: the frequency cap
 * defers marketing touches to the contact's next local day (transactional ones pass), consent
 * sends a touch down the fallback order or suppresses it with the reason, and a channel's rate
 * limit spreads sends over seconds. Nothing is dropped: every touch ends sent, suppressed, or
 * queued for later with the reason in its history.
 */
class SendingPolicyDeliveryTest {
  @RegisterExtension
  static final WebhookSink sink = new WebhookSink();

  @RegisterExtension
  static final OwnServer server = new OwnServer(sink.env("whsec-" + unique()), Map.of(
      "SIYU_WEBHOOK_RATE_PER_SECOND", "2",
      "SIYU_OUTBOX_POLL_MS", "20",
      "SIYU_FREQUENCY_CAP", "1/day,5/week",
      "SIYU_CHANNEL_FALLBACK", "webhook,log"));

  private static TouchRequest touch(String key, long contact, String kind) {
    return new TouchRequest(key, contact, "welcome", "pi-" + key, "send", "webhook", "welcome",
        Map.of("kind", kind));
  }

  private static long contact(JsonObject consent) {
    JsonObject body = new JsonObject().put("external_userid", "policy-" + unique());
    if (consent != null) {
      body.put("consent", consent);
    }
    return server.api().post("/api/v1/contacts", body).json().getLong("id");
  }

  @Test
  void theCapDefersMarketingToTheContactsNextDayAndLetsTransactionalThrough() throws Exception {
    long c = contact(null);
    String k = unique();
    List<Long> ids = Touches.enqueue(server.siyu(), touch(k + "-1", c, "marketing"), touch(k + "-2", c, "marketing"),
        touch(k + "-3", c, "transactional"));
    JsonObject receipt = Touches.await(server.api(), ids.get(2), "sent");
    assertEquals("transactional", kind(ids.get(2)));
    List<JsonObject> marketing = List.of(server.api().get("/api/v1/touches/" + ids.get(0)).json(),
        server.api().get("/api/v1/touches/" + ids.get(1)).json());
    // one of the two marketing touches went, the other waits for tomorrow (in the contact's zone)
    awaitSettled(ids.subList(0, 2));
    List<String> statuses = new ArrayList<>();
    for (long id : ids.subList(0, 2)) {
      statuses.add(server.api().get("/api/v1/touches/" + id).json().getString("status"));
    }
    assertTrue(statuses.contains("sent") && statuses.contains("queued"), statuses.toString());
    JsonObject deferred = server.api().get("/api/v1/touches/" + ids.get(statuses.indexOf("queued"))).json();
    Instant tomorrow = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant();
    assertEquals(tomorrow, Instant.parse(deferred.getString("next_attempt_at")), deferred.encode());
    assertEquals(0, deferred.getInteger("attempts"), "a deferral is not an attempt");
    assertTrue(Touches.details(deferred).stream().anyMatch(d -> d.contains("frequency cap reached")), deferred.encode());
    assertEquals(1, scalar("SELECT sum(sent) FROM contact_send_days WHERE contact_id = ?", c), "one place taken");
    assertTrue(marketing.size() == 2 && receipt != null);
  }

  @Test
  void consentSendsDownTheFallbackOrderOrSuppressesWithTheReason() throws Exception {
    long refusedWebhook = contact(new JsonObject().put("webhook", false));
    long refusedBoth = contact(new JsonObject().put("webhook", false).put("log", false));
    String k = unique();
    List<Long> ids = Touches.enqueue(server.siyu(), touch(k + "-a", refusedWebhook, "transactional"),
        touch(k + "-b", refusedBoth, "transactional"));
    JsonObject fellBack = Touches.await(server.api(), ids.get(0), "sent");
    assertEquals("log", fellBack.getString("channel"));
    assertEquals("webhook", text("SELECT requested_channel FROM touches WHERE id = ?", ids.get(0)));
    JsonObject suppressed = Touches.await(server.api(), ids.get(1), "suppressed");
    assertTrue(suppressed.getString("last_error").contains("webhook: opted out")
        && suppressed.getString("last_error").contains("log: opted out"), suppressed.encode());
    assertEquals(0, suppressed.getInteger("attempts"));
  }

  @Test
  void aChannelsRateLimitSpreadsItsSendsOverSeconds() throws Exception {
    long c = contact(null);
    String k = unique();
    TouchRequest[] many = new TouchRequest[6];
    for (int i = 0; i < many.length; i++) {
      many[i] = touch(k + "-r" + i, c, "transactional");
    }
    List<Long> ids = Touches.enqueue(server.siyu(), many);
    for (long id : ids) {
      assertEquals("webhook", Touches.await(server.api(), id, "sent").getString("channel"));
    }
    assertTrue(scalar("SELECT max(used) FROM channel_rate_windows WHERE channel = 'webhook'", 0) <= 2);
    // six sends at two a second take at least three seconds, and some waited for the next one; the
    // second of each send is its signature's timestamp (sent_at is when its result was recorded,
    // which for a send late in a second can fall in the next one)
    assertTrue(java.util.stream.IntStream.range(0, many.length).mapToObj(i -> sink.calls(k + "-r" + i).get(0).timestamp())
        .distinct().count() >= 3);
    long waited = ids.stream().filter(id -> Touches.details(server.api().get("/api/v1/touches/" + id).json()).stream()
        .anyMatch(d -> d.contains("rate limit of channel webhook"))).count();
    assertTrue(waited >= 1, "some sends waited for the next second");
  }

  private static void awaitSettled(List<Long> ids) {
    for (int i = 0; i < 600; i++) {
      boolean settled = ids.stream().allMatch(id -> {
        JsonObject t = server.api().get("/api/v1/touches/" + id).json();
        return t.getString("status").equals("sent")
            || (t.getString("status").equals("queued") && Touches.details(t).stream().anyMatch(d -> d.startsWith("deferred")));
      });
      if (settled) {
        return;
      }
      Eventually.sleep(50);
    }
    throw new AssertionError("touches " + ids + " did not settle");
  }

  private static String kind(long id) throws Exception {
    return text("SELECT kind FROM touches WHERE id = ?", id);
  }

  private static String text(String sql, long id) throws Exception {
    try (Connection conn = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static long scalar(String sql, Object param) throws Exception {
    try (Connection conn = server.siyu().database().jdbc().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
      if (sql.contains("?")) {
        ps.setObject(1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
