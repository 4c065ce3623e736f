package io.siyu.journey;

import io.siyu.journey.step.EngineSql;
import io.siyu.worker.WorkLoop;
import io.siyu.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored events to journeys: each event in journey_inbox (written by a trigger in the
 * event's own transaction) is taken and handled in an engine transaction — waiting instances of
 * its contact get the message, event-triggered journeys get a new entry — and only then leaves
 * the inbox.
 *
 * <p>Several workers drain the inbox side by side, each the events of its share of the contacts
 * (contact id modulo the worker count), so one contact's events are handled in order. A worker
 * handles up to {@link #PER_TRANSACTION} events in one engine transaction, one commit for all,
 * never two events of one contact in the same transaction (the second must see what the first
 * started). When such a transaction fails, its events are handled again one by one, so one bad
 * event holds back no other. Several servers share the inbox (rows are taken with SKIP LOCKED). A
 * failing event is retried with backoff and parked after ten attempts, with its error, for an
 * admin to replay.
 *
 * <p>Each worker is a {@link WorkLoop} whose poll drains on a worker thread (the engine and JDBC
 * block), then looks again after the poll interval; a stop waits for the drains under way.
 */
public final class JourneyInbox implements Worker {
  private static final Logger log = LoggerFactory.getLogger(JourneyInbox.class);
  private static final int BATCH = 200;
  static final int PER_TRANSACTION = 20;
  private static final int MAX_ATTEMPTS = 10;

  /** A worker's share: due events of contacts whose id modulo the worker count is the worker's number. */
  private static final String DUE = "SELECT event_id, contact_id FROM journey_inbox WHERE NOT parked "
      + "AND next_attempt_at <= now() AND contact_id % ? = ? ORDER BY event_id LIMIT " + BATCH;
  private static final String TAKE = "WITH taken AS (DELETE FROM journey_inbox WHERE event_id = "
      + "  (SELECT event_id FROM journey_inbox WHERE event_id = $1 AND NOT parked FOR UPDATE SKIP LOCKED) RETURNING event_id) "
      + "SELECT e.id, e.event_key, e.contact_id, e.type, e.properties::text AS properties, c.timezone "
      + "FROM taken JOIN events e ON e.id = taken.event_id JOIN contacts c ON c.id = e.contact_id";
  /** Instances of the contact waiting for a message of this type (through indexed columns only). */
  private static final String WAITING = "SELECT DISTINCT x.proc_inst_id_ AS pi, s.event_name_ AS message FROM journey_entries j "
      + "JOIN act_ru_execution x ON x.proc_inst_id_ = j.process_instance_id "
      + "JOIN act_ru_event_subscr s ON s.execution_id_ = x.id_ "
      + "WHERE j.contact_id = $1 AND s.event_type_ = 'message' AND (s.event_name_ = $2 OR s.event_name_ LIKE $2 || ' {%')";

  private final Vertx vertx;
  private final DataSource jdbc;
  private final JourneyEngine engine;
  private final JourneyRegistry registry;
  private final JourneyEntries entries;
  private final long pollMillis;
  private final List<Share> shares = new ArrayList<>();

  /** {@code workers} drain workers side by side, each looking every {@code pollMillis}. */
  public JourneyInbox(Vertx vertx, DataSource jdbc, JourneyEngine engine, JourneyRegistry registry, JourneyEntries entries,
      long pollMillis, int workers) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.engine = engine;
    this.registry = registry;
    this.entries = entries;
    this.pollMillis = pollMillis;
    for (int w = 0; w < workers; w++) {
      shares.add(new Share(w, workers));
    }
  }

  @Override
  public String name() {
    return "the journey inbox";
  }

  @Override
  public void start() {
    shares.forEach(share -> share.loop.start(() -> share.loop.pollIn(pollMillis)));
  }

  @Override
  public Future<Void> stop() {
    return Future.all(shares.stream().map(share -> share.loop.stop()).toList()).mapEmpty();
  }

  /** One worker: the events of the contacts whose id modulo {@code of} is {@code worker}, one drain at a time. */
  private final class Share {
    final int worker;
    final int of;
    final WorkLoop loop;
    boolean draining;

    Share(int worker, int of) {
      this.worker = worker;
      this.of = of;
      this.loop = new WorkLoop(vertx, log).drives(this::poll, () -> !draining);
    }

    /** Drains on a worker thread while batches come back full, then looks again after the interval. */
    void poll() {
      if (!loop.running() || draining) {
        return;
      }
      draining = true;
      loop.back(vertx.executeBlocking(() -> {
        while (drainOnce(worker, of) == BATCH) {
          // a full batch: more may be waiting
        }
        return null;
      }, false), ar -> {
        draining = false;
        if (ar.failed()) {
          loop.warn("Journey inbox", ar.cause());
        }
        if (loop.running()) {
          loop.pollAfter(ar.failed(), pollMillis);
        } else {
          loop.settled();
        }
      });
    }
  }

  /** Blocking: handles up to one batch of the worker's due events; answers how many were due. */
  public int drainOnce(int worker, int workers) throws SQLException {
    List<long[]> due = new ArrayList<>();
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(DUE)) {
      st.setInt(1, workers);
      st.setInt(2, worker);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          due.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    }
    for (List<Long> events : transactions(due)) {
      try {
        engine.inTransaction(ctx -> {
          events.forEach(this::handle);
          return null;
        });
      } catch (RuntimeException together) {
        events.forEach(this::handleAlone);
      }
    }
    return due.size();
  }

  /** Due events (id, contact) in order, cut into transactions of at most PER_TRANSACTION with each contact once. */
  static List<List<Long>> transactions(List<long[]> due) {
    List<List<Long>> out = new ArrayList<>();
    List<Long> current = new ArrayList<>();
    Set<Long> contacts = new HashSet<>();
    for (long[] event : due) {
      if (current.size() == PER_TRANSACTION || !contacts.add(event[1])) {
        out.add(current);
        current = new ArrayList<>();
        contacts.clear();
        contacts.add(event[1]);
      }
      current.add(event[0]);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private void handleAlone(long eventId) {
    try {
      engine.inTransaction(ctx -> {
        handle(eventId);
        return null;
      });
    } catch (RuntimeException e) {
      failed(eventId, e);
    }
  }

  private void handle(long eventId) {
    List<Map<String, Object>> taken = EngineSql.query(TAKE, eventId);
    if (taken.isEmpty()) {
      return; // another server has it, or had it
    }
    Map<String, Object> e = taken.get(0);
    long contactId = ((Number) e.get("contact_id")).longValue();
    String type = (String) e.get("type");
    JsonObject properties = new JsonObject((String) e.get("properties"));
    // waiting instances first, so a journey this event starts does not also receive it
    for (Map<String, Object> w : EngineSql.query(WAITING, contactId, type)) {
      String message = (String) w.get("message");
      // LIKE takes '_' in a type for any character: compare the type exactly here
      if (!EventMatch.type(message).equals(type) || !EventMatch.matches(EventMatch.match(message), properties)) {
        continue;
      }
      engine.engine().getRuntimeService().createMessageCorrelation(message)
          .processInstanceId((String) w.get("pi"))
          .setVariable("lastEvent", properties.encode())
          .correlateAll();
    }
    LocalDate today = org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant()
        .atZone(io.siyu.locale.TimeZones.of((String) e.get("timezone"))).toLocalDate();
    for (JourneyRegistry.Entry journey : registry.startedBy(type, properties)) {
      String key = journey.trigger().reentry().entryKey(today, "event:" + e.get("event_key"));
      entries.enterHere(journey, contactId, key, "event:" + type,
          Map.of("triggerEvent", properties.encode(), "triggerEventId", eventId));
    }
  }

  private void failed(long eventId, RuntimeException error) {
    log.warn("Journey inbox: event {} failed: {}", eventId, error.toString());
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(
        "UPDATE journey_inbox SET attempts = attempts + 1, last_error = ?, parked = attempts + 1 >= ?, "
            + "next_attempt_at = now() + make_interval(secs => least(3600, power(2, attempts + 1)))  WHERE event_id = ?")) {
      st.setString(1, String.valueOf(error.getMessage()));
      st.setInt(2, MAX_ATTEMPTS);
      st.setLong(3, eventId);
      st.executeUpdate();
    } catch (SQLException e) {
      log.error("Journey inbox: could not record the failure of event {}", eventId, e);
    }
  }
}
