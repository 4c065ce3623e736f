package io.siyu.journey.palette;

import io.siyu.journey.step.Journeys;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * What every palette task shares: its contact, its inputs, a key that is the same on every retry
 * of the same step, and a way to wait for one of Siyu's (non-blocking) services. Tasks run on
 * engine threads — a job executor thread or a Vert.x worker — never on the event loop, so waiting
 * here is allowed.
 */
public abstract class PaletteTask implements JavaDelegate {
  protected static long contactId(DelegateExecution execution) {
    return Journeys.contactId(execution);
  }

  /** An input field ({@code camunda:inputParameter}), as text; expressions are already resolved. */
  protected static String input(DelegateExecution execution, String name) {
    Object v = execution.getVariableLocal(name);
    return v == null ? null : v.toString().trim();
  }

  protected static String journeyKey(DelegateExecution execution) {
    return Journeys.journeyKey(execution);
  }

  /**
   * The idempotency key of this step of this entry: a retry of the step (after a failure or a
   * crash) asks the service again with the same key and gets the first answer back. It is built
   * from the entry (business key), not the process instance: the services answer on their own
   * connections, so when an entry's start rolls back and is made again, the new instance must
   * find what the first one already granted. The n-th later visit of the same step (a loop) gets
   * its own key, counted from the history the engine has committed.
   */
  protected static String stepKey(DelegateExecution execution) {
    String key = "journey:" + journeyKey(execution) + ":" + execution.getProcessBusinessKey() + ":"
        + execution.getCurrentActivityId();
    long visits = Journeys.earlierVisits(execution.getProcessInstanceId(), execution.getCurrentActivityId());
    return visits == 0 ? key : key + "#" + visits;
  }

  protected static String actor(DelegateExecution execution) {
    return "journey:" + journeyKey(execution);
  }

  /** Waits for a service's answer; a problem it reports is rethrown as is. */
  protected static <T> T await(Future<T> future) {
    return io.siyu.async.Blocking.await(future);
  }

  /** A refusal the journey should note and move past (e.g. a right the member's tier may not receive). */
  protected static boolean isRefusal(RuntimeException e) {
    return e instanceof Problem p && p.status() == 409;
  }
}
