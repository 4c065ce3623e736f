package io.siyu.journey.palette;

import io.siyu.journey.Journeys;
import io.siyu.web.Problem;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * What every palette task shares: its contact, its inputs, a key that is the same on every retry
 * of the same step, and a way to wait for one of Siyu's (non-blocking) services. Tasks run on
 * engine threads — a job executor thread or a Vert.x worker — never on the event loop, so waiting
 * here is allowed.
 */
public abstract class PaletteTask implements JavaDelegate {
  private static final long TIMEOUT_SECONDS = 30;

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
   * The idempotency key of this step of this instance: a retry of the step (after a failure or a
   * crash) asks the service again with the same key and gets the first answer back.
   */
  protected static String stepKey(DelegateExecution execution) {
    return "journey:" + execution.getProcessInstanceId() + ":" + execution.getCurrentActivityId();
  }

  protected static String actor(DelegateExecution execution) {
    return "journey:" + journeyKey(execution);
  }

  /** Waits for a service's answer; a problem it reports is rethrown as is. */
  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /** A refusal the journey should note and move past (e.g. a right the member's tier may not receive). */
  protected static boolean isRefusal(RuntimeException e) {
    return e instanceof Problem p && p.status() == 409;
  }
}
