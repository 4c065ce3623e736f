package io.siyu.journey;

import java.time.ZoneId;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Small facts about a running journey instance shared by its steps, and the writes they make on its entry. */
public final class Journeys {
  private Journeys() {}

  /** Where a contact's time zone is missing or unknown. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  public static long contactId(DelegateExecution execution) {
    return ((Number) execution.getVariable("contactId")).longValue();
  }

  /** The journey (process definition key) an execution belongs to. */
  public static String journeyKey(DelegateExecution execution) {
    return execution.getProcessDefinitionId().split(":")[0];
  }

  /** A contact's time zone by name, the default when it is not a zone Java knows. */
  static ZoneId zone(String name) {
    try {
      return name == null ? DEFAULT_ZONE : ZoneId.of(name);
    } catch (RuntimeException e) {
      return DEFAULT_ZONE;
    }
  }

  /** Inside the engine's transaction: the A/B branch the entry took. */
  static void recordBranch(String processInstanceId, String branch) {
    EngineSql.update("UPDATE journey_entries SET branch = ? WHERE process_instance_id = ?", branch, processInstanceId);
  }

  /** Inside the engine's transaction: the first goal the entry reached. */
  public static void recordGoal(String processInstanceId, String goal) {
    EngineSql.update("UPDATE journey_entries SET goal = ?, goal_reached_at = now() "
        + "WHERE process_instance_id = ? AND goal_reached_at IS NULL", goal, processInstanceId);
  }
}
