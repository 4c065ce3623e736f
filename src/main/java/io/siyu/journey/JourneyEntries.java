package io.siyu.journey;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * Entering a contact into a journey, in one engine transaction: the journey_entries row first
 * (its unique journey + contact + entry key is the re-entry policy: a second scan, a replayed
 * event or another server finds the row and starts nothing), then the process instance, then the
 * entry is linked to it. The business key is "contact:entry key".
 */
public final class JourneyEntries {
  private static final String CLAIM = "INSERT INTO journey_entries (journey_key, contact_id, entry_key, version, source) "
      + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (journey_key, contact_id, entry_key) DO NOTHING RETURNING id";

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
    EngineSql.update("UPDATE journey_entries SET process_instance_id = ? WHERE id = ?", pi.getId(), claimed.get(0).get("id"));
    return pi.getId();
  }
}
