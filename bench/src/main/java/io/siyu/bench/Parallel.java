package io.siyu.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs task(0..n-1) on a few threads and waits for all; the first failure fails the run. */
final class Parallel {
  interface Task {
    Object run(int i) throws Exception;
  }

  private Parallel() {}

  static void run(int n, int threads, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Object>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> task.run(k)));
      }
      for (Future<Object> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof BenchFailure b) {
            throw b;
          }
          throw new BenchFailure("a concurrent call failed: " + e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
