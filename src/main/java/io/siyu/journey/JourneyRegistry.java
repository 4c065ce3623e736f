package io.siyu.journey;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The journeys table: each journey's status and the trigger of its latest version, plus the event
 * types it listens to. Triggers are read from here (cached for a couple of seconds) rather than
 * from the engine, so an event or a scan finds its journeys with one indexed read.
 */
public final class JourneyRegistry {
  /** One journey as the triggers see it. */
  public record Entry(String key, String name, String status, Trigger trigger, int version) {
    public boolean active() {
      return status.equals("active");
    }
  }

  private static final long CACHE_MILLIS = 2_000;
  /** A version that passed the checks makes a journey suspended for a refused one active again. */
  private static final String RECORD = "INSERT INTO journeys (key, name, trigger, reentry, version) "
      + "VALUES (?, ?, ?::jsonb, ?, ?) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, "
      + "trigger = EXCLUDED.trigger, reentry = EXCLUDED.reentry, version = EXCLUDED.version, updated_at = now(), "
      + "status = CASE WHEN journeys.status = 'suspended' THEN 'active' ELSE journeys.status END";
  private static final String FORGET_LISTENS = "DELETE FROM journey_listens WHERE journey_key = ?";
  private static final String LISTEN = "INSERT INTO journey_listens (event_type, journey_key) VALUES (?, ?)";
  /** Replaces the version's earlier refusal, if any; suspends the journey when it is the latest version. */
  private static final String REFUSED = "UPDATE journeys SET "
      + "refused = (SELECT coalesce(jsonb_agg(r), '[]') FROM jsonb_array_elements(refused) r "
      + "  WHERE (r ->> 'version')::int <> ?) || jsonb_build_array(?::jsonb), "
      + "status = CASE WHEN ? THEN 'suspended' ELSE status END, updated_at = now() WHERE key = ?";
  private static final String ALL = "SELECT key, name, status, trigger::text, reentry, version FROM journeys ORDER BY key";

  private final DataSource jdbc;
  private volatile List<Entry> cached = List.of();
  private volatile long loadedAt;

  public JourneyRegistry(DataSource jdbc) {
    this.jdbc = jdbc;
  }

  /** Blocking: records a deployed version (new journeys start active) and the event types it listens to. */
  void record(JourneyFile.Journey j, int version) throws SQLException {
    try (Connection c = jdbc.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement st = c.prepareStatement(RECORD)) {
        st.setString(1, j.key());
        st.setString(2, j.name());
        st.setString(3, j.trigger().toJson().encode());
        st.setString(4, j.trigger().reentry().name().toLowerCase(java.util.Locale.ROOT));
        st.setInt(5, version);
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement(FORGET_LISTENS)) {
        st.setString(1, j.key());
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement(LISTEN)) {
        for (String type : j.listens()) {
          st.setString(1, type);
          st.setString(2, j.key());
          st.addBatch();
        }
        st.executeBatch();
      }
      c.commit();
    }
    loadedAt = 0;
  }

  /**
   * Blocking: notes that {@code version} of journey {@code key} was refused at start with
   * {@code problems}; when it is the latest version, the journey is suspended.
   */
  void refused(String key, int version, boolean latest, List<JsonObject> problems) throws SQLException {
    JsonObject refusal = new JsonObject().put("version", version).put("refused_at", java.time.Instant.now().toString())
        .put("problems", new io.vertx.core.json.JsonArray(problems));
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(REFUSED)) {
      st.setInt(1, version);
      st.setString(2, refusal.encode());
      st.setBoolean(3, latest);
      st.setString(4, key);
      st.executeUpdate();
    }
    loadedAt = 0;
  }

  /** Blocking: every journey, from a cache at most a couple of seconds old. */
  public List<Entry> all() {
    if (System.currentTimeMillis() - loadedAt > CACHE_MILLIS) {
      List<Entry> fresh = new ArrayList<>();
      try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(ALL);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          fresh.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
              Trigger.fromJson(new JsonObject(rs.getString(4)), rs.getString(5)), rs.getInt(6)));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      cached = fresh;
      loadedAt = System.currentTimeMillis();
    }
    return cached;
  }

  public Entry get(String key) {
    return all().stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
  }

  /** Active journeys an event of {@code type} with {@code properties} starts. */
  List<Entry> startedBy(String type, JsonObject properties) {
    return all().stream().filter(e -> e.active() && e.trigger().type().equals("event")
        && e.trigger().events().contains(type) && e.trigger().matches(properties)).toList();
  }

  /** Active journeys whose trigger is of one of {@code types}. */
  public List<Entry> ofTrigger(Set<String> types) {
    return all().stream().filter(e -> e.active() && types.contains(e.trigger().type())).toList();
  }

  void forget() {
    loadedAt = 0;
  }
}
