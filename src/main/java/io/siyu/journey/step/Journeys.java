package io.siyu.journey.step;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Small facts about a running journey instance shared by its steps, and the writes they make on its entry. */
public final class Journeys {
  private Journeys() {}

  public static long contactId(DelegateExecution execution) {
    return ((Number) execution.getVariable("contactId")).longValue();
  }

  /** The journey (process definition key) an execution belongs to. */
  public static String journeyKey(DelegateExecution execution) {
    return execution.getProcessDefinitionId().split(":")[0];
  }

  /**
   * The entry's row, found by its unique key rather than by process instance: steps that run while
   * the instance starts (a split, a goal) come before the entry is linked to the instance.
   */
  private static final String ENTRY = "journey_key = $2 AND contact_id = $3 AND entry_key = $4";
  private static final String RECORD_BRANCH = "UPDATE journey_entries SET branch = $1 WHERE " + ENTRY;
  /** Only the first goal counts. */
  private static final String RECORD_GOAL = "UPDATE journey_entries SET goal = $1, goal_reached_at = now() WHERE " + ENTRY
      + " AND goal_reached_at IS NULL";
  private static final String EARLIER_VISITS = "SELECT count(*) AS n FROM act_hi_actinst WHERE proc_inst_id_ = $1 "
      + "AND act_id_ = $2 AND end_time_ IS NOT NULL";

  /** Inside the engine's transaction: the A/B branch the entry took. */
  public static void recordBranch(DelegateExecution execution, String branch) {
    EngineSql.update(RECORD_BRANCH, branch,
        journeyKey(execution), contactId(execution), execution.getVariable("entryKey"));
  }

  /** Inside the engine's transaction: the first goal the entry reached. */
  public static void recordGoal(DelegateExecution execution, String goal) {
    EngineSql.update(RECORD_GOAL, goal, journeyKey(execution), contactId(execution), execution.getVariable("entryKey"));
  }

  /** Inside the engine's transaction: how many times the instance passed through an activity before (committed history). */
  public static long earlierVisits(String processInstanceId, String activityId) {
    return ((Number) EngineSql.query(EARLIER_VISITS, processInstanceId, activityId).get(0).get("n")).longValue();
  }
}
