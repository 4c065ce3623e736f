package io.siyu.channel;

import io.vertx.core.Future;

/** What the provider channels need of their clients besides sending: the rate limit and closing. */
public interface ProviderClient {
  /** Most calls a second, for all of Siyu's instances together. */
  int ratePerSecond();

  Future<Void> close();
}
