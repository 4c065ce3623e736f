package io.siyu.journey;

import io.siyu.journey.step.EngineSql;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entering a contact into a journey, in one engine transaction: the journey_entries row first
 * (its unique journey + contact + entry key is the re-entry policy: a second scan, a replayed
 * event or another server finds the row and starts nothing), then the process instance, then the
 * entry is linked to it. The business key is "contact:entry key".
 */
public final class JourneyEntries {
  private static final Logger log = LoggerFactory.getLogger(JourneyEntries.class);
  /** Entries per engine transaction when a scan enters many contacts: one commit for many instances. */
  static final int CHUNK = 50;

  /** A contact a scan found, with the entry key its re-entry policy gives it. */
  public record Candidate(long contactId, String entryKey) {}

  /** What entering many contacts did. */
  public record Counts(int entered, int before, int failed) {
    public io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject().put("entered", entered).put("already_entered", before).put("failed", failed);
    }
  }
  private static final String CLAIM = "INSERT INTO journey_entries (journey_key, contact_id, entry_key, version, source) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (journey_key, contact_id, entry_key) DO NOTHING RETURNING id";
  private static final String LINK_INSTANCE = "UPDATE journey_entries SET process_instance_id = $1 WHERE id = $2";

  private final JourneyEngine engine;

  public JourneyEntries(JourneyEngine engine) {
    this.engine = engine;
  }

  /** Blocking: the new process instance id, or null when this entry was made before. */
  public String enter(JourneyRegistry.Entry journey, long contactId, String entryKey, String source,
      Map<String, Object> variables) {
    return engine.inTransaction(ctx -> enterHere(journey, contactId, entryKey, source, variables));
  }

  /** The same, inside a transaction that is already open (the inbox's). */
  String enterHere(JourneyRegistry.Entry journey, long contactId, String entryKey, String source,
      Map<String, Object> variables) {
    List<Map<String, Object>> claimed = EngineSql.query(CLAIM, journey.key(), contactId, entryKey, journey.version(), source);
    if (claimed.isEmpty()) {
      return null;
    }
    Map<String, Object> vars = new java.util.HashMap<>(variables);
    vars.put("contactId", contactId);
    vars.put("entryKey", entryKey);
    ProcessInstance pi = engine.engine().getRuntimeService().createProcessInstanceByKey(journey.key())
        .businessKey(contactId + ":" + entryKey)
        .setVariables(vars)
        .execute();
    EngineSql.update(LINK_INSTANCE, pi.getId(), claimed.get(0).get("id"));
    return pi.getId();
  }

  /**
   * Blocking: enters many contacts, {@link #CHUNK} per engine transaction. A chunk that fails is
   * made again one entry per transaction, so one bad contact holds back nobody else; its failure
   * is logged and counted, and the next scan tries it again. {@code alsoInTransaction} runs, on
   * the engine's connection, for each candidate handled in a committed transaction.
   */
  public Counts enterMany(JourneyRegistry.Entry journey, List<Candidate> candidates, String source,
      Consumer<Candidate> alsoInTransaction) {
    int entered = 0;
    int failed = 0;
    for (int from = 0; from < candidates.size(); from += CHUNK) {
      List<Candidate> chunk = candidates.subList(from, Math.min(candidates.size(), from + CHUNK));
      try {
        entered += engine.inTransaction(ctx -> enterEach(journey, chunk, source, alsoInTransaction));
      } catch (RuntimeException chunkFailed) {
        for (Candidate c : chunk) {
          try {
            entered += engine.inTransaction(ctx -> enterEach(journey, List.of(c), source, alsoInTransaction));
          } catch (RuntimeException e) {
            failed++;
            log.warn("Journey {}: contact {} could not enter: {}", journey.key(), c.contactId(), e.toString());
          }
        }
      }
    }
    return new Counts(entered, candidates.size() - entered - failed, failed);
  }

  private int enterEach(JourneyRegistry.Entry journey, List<Candidate> chunk, String source, Consumer<Candidate> also) {
    int entered = 0;
    for (Candidate c : chunk) {
      if (enterHere(journey, c.contactId(), c.entryKey(), source, Map.of()) != null) {
        entered++;
      }
      also.accept(c);
    }
    return entered;
  }
}
