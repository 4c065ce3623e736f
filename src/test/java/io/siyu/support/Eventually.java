package io.siyu.support;

import java.util.function.Supplier;

/** Waiting in tests for what Siyu does in the background (journeys, the outbox, WeCom workers). */
public final class Eventually {
  private static final long TIMEOUT_MS = 30_000;
  private static final long POLL_MS = 50;

  private Eventually() {}

  /**
   * The first answer of {@code check} that is neither null nor {@code false}, asked every 50 ms;
   * an AssertionError naming {@code what} after 30 s.
   */
  public static <T> T await(String what, Supplier<T> check) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      T found = check.get();
      if (found != null && !Boolean.FALSE.equals(found)) {
        return found;
      }
      sleep(POLL_MS);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** Waits {@code ms} on the test thread, for loops that poll on their own terms; an interrupt fails the test. */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
