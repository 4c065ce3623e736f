package io.siyu.worker;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The workers the application started, stopped in the reverse order, one after the other. */
public final class Workers {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);
  private final List<Worker> started = new ArrayList<>();

  /** Starts {@code workers} in their order. */
  public static Workers start(List<Worker> workers) {
    Workers all = new Workers();
    workers.forEach(w -> {
      w.start();
      all.started.add(w);
    });
    return all;
  }

  /**
   * Stops the last started first, each once the one after it has stopped; a worker whose stop fails
   * is logged and the others still stop.
   */
  public synchronized Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = started.size() - 1; i >= 0; i--) {
      Worker w = started.get(i);
      chain = chain.compose(v -> w.stop().recover(err -> {
        log.warn("Stopping {} failed: {}", w.name(), err.toString());
        return Future.succeededFuture();
      }));
    }
    started.clear();
    return chain;
  }
}
