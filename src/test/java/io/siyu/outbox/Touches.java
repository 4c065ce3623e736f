package io.siyu.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.app.Siyu;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the outbox tests do over and over: make a contact, write touches as a journey would, wait for them. */
public final class Touches {
  private Touches() {}

  public static long contact(Api api) {
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "outbox-" + UUID.randomUUID()));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  public static TouchRequest touch(String key, long contactId, String channel) {
    return new TouchRequest(key, contactId, "welcome", "pi-" + key, "send_welcome", channel, "welcome",
        Map.of("name", "李雷", "coupon", 50));
  }

  /** Writes the touches in one JDBC transaction, as the journey engine does, then wakes the dispatcher. */
  public static List<Long> enqueue(Siyu siyu, TouchRequest... touches) throws Exception {
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      for (TouchRequest t : touches) {
        Outbox.enqueue(conn, t);
      }
      conn.commit();
    }
    siyu.services().dispatcher().wake();
    return java.util.Arrays.stream(touches).map(t -> idOf(siyu, t.touchKey())).toList();
  }

  /**
   * Writes the touches and, in the same transaction (so the dispatcher never sees them as they
   * were), runs {@code adjustSql} with {@code params}: holds them back, makes them look mid-send.
   * Answers how many rows the adjustment changed. Does not wake the dispatcher.
   */
  public static int enqueueAdjusted(Siyu siyu, List<TouchRequest> touches, String adjustSql, Object... params)
      throws Exception {
    try (Connection conn = siyu.database().jdbc().getConnection()) {
      conn.setAutoCommit(false);
      for (TouchRequest t : touches) {
        Outbox.enqueue(conn, t);
      }
      int changed;
      try (PreparedStatement adjust = conn.prepareStatement(adjustSql)) {
        for (int i = 0; i < params.length; i++) {
          adjust.setObject(i + 1, params[i]);
        }
        changed = adjust.executeUpdate();
      }
      conn.commit();
      return changed;
    }
  }

  public static long idOf(Siyu siyu, String touchKey) {
    try (Connection conn = siyu.database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT id FROM touches WHERE touch_key = ?")) {
      ps.setString(1, touchKey);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no touch " + touchKey);
        }
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (up to a minute) until the touch reaches {@code status}; answers it with its history. */
  public static JsonObject await(Api api, long id, String status) {
    JsonObject t = null;
    for (int i = 0; i < 1200; i++) {
      t = api.get("/api/v1/touches/" + id).json();
      if (status.equals(t.getString("status"))) {
        return t;
      }
      Eventually.sleep(50);
    }
    throw new AssertionError("touch " + id + " did not become " + status + ": " + t);
  }

  /** Waits (up to 30 s) until the touch is sent, dead or suppressed; answers it. */
  public static JsonObject settle(Api api, long id) {
    for (int i = 0; i < 600; i++) {
      JsonObject t = api.get("/api/v1/touches/" + id).json();
      if (List.of("sent", "dead", "suppressed").contains(t.getString("status"))) {
        return t;
      }
      Eventually.sleep(50);
    }
    throw new AssertionError("touch " + id + " did not settle");
  }

  /** The details of the touch's history, in order. */
  public static List<String> details(JsonObject touch) {
    JsonArray history = touch.getJsonArray("history");
    return history.stream().map(h -> ((JsonObject) h).getString("detail")).toList();
  }

  /** The statuses of the touch's history, in order. */
  public static List<String> statuses(JsonObject touch) {
    JsonArray history = touch.getJsonArray("history");
    return history.stream().map(h -> ((JsonObject) h).getString("status")).toList();
  }
}
