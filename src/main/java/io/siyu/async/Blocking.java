package io.siyu.async;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for one of Siyu's (non-blocking) services from a thread that may block: an engine
 * thread running a journey step, a Quartz thread running a scheduled job — never the event loop.
 */
public final class Blocking {
  private Blocking() {}

  private static final long AWAIT_SECONDS = 30;

  /** The future's result within 30 s; a problem the service reports is rethrown as is. */
  public static <T> T await(Future<T> future) {
    return await(future, AWAIT_SECONDS);
  }

  /** The same with a longer patience, for long work (a scheduled recompute over every contact). */
  public static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + seconds + " s", e);
    }
  }
}
