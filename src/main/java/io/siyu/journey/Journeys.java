package io.siyu.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Small facts about a running journey instance shared by its steps, and the writes they make on its entry. */
public final class Journeys {
  private Journeys() {}

  public static long contactId(DelegateExecution execution) {
    return ((Number) execution.getVariable("contactId")).longValue();
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
