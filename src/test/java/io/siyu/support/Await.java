package io.siyu.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a test thread on a Vert.x future (never an event loop: Siyu's own code does not block).
 * A future that does not complete in time fails the test rather than hanging it.
 */
public final class Await {
  private static final Duration DEFAULT = Duration.ofSeconds(30);

  private Await() {}

  /** The future's result within 30 s; an IllegalStateException naming the failure otherwise. */
  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT);
  }

  public static <T> T result(Future<T> future, Duration max) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a future", e);
    } catch (Exception e) {
      throw new IllegalStateException("the future did not succeed: " + e, e);
    }
  }

  /** What the future failed with, within 30 s; an AssertionError when it succeeds or does not end. */
  public static Throwable failure(Future<?> future) {
    Object result;
    try {
      result = future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a future", e);
    } catch (Exception e) {
      throw new AssertionError("the future did not fail within " + DEFAULT + ": " + e, e);
    }
    throw new AssertionError("expected the future to fail, it succeeded with " + result);
  }
}
