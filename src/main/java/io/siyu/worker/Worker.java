package io.siyu.worker;

import io.vertx.core.Future;

/**
 * Work that runs in the background while Siyu serves: claims rows from a table, does what they
 * ask, records the outcome. The application starts its workers once every feature is wired and
 * stops them in the reverse order before it closes the pools ({@link Workers}), so a worker that
 * feeds another stops after it.
 */
public interface Worker {
  /** What the worker does, for the log. */
  String name();

  /** Begins polling; returns at once. */
  void start();

  /**
   * Claims nothing more; completes once the work already claimed has been recorded, or after the
   * worker's own cap (what is left then is claimed again by its lease). Stopping twice is harmless.
   */
  Future<Void> stop();
}
