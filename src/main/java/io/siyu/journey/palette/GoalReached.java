package io.siyu.journey.palette;

import io.siyu.journey.step.Journeys;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Goal reached: marks the contact's entry converted (the first goal counts), for the funnel. */
public final class GoalReached extends PaletteTask {
  @Override
  public void execute(DelegateExecution execution) {
    String goal = input(execution, "goal") == null ? execution.getCurrentActivityId() : input(execution, "goal");
    Journeys.recordGoal(execution, goal);
  }
}
