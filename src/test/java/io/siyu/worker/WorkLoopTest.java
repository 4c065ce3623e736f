package io.siyu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The loop every queue worker runs: polls, wakes, gathers, stops once idle; and the order workers stop in. */
class WorkLoopTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A job whose polls are counted and whose work is held open until released. */
  private final class Job {
    final AtomicInteger polls = new AtomicInteger();
    final WorkLoop loop = new WorkLoop(vertx, LoggerFactory.getLogger(WorkLoopTest.class)).drives(this::poll, this::idle);
    Promise<Void> work;

    void poll() {
      polls.incrementAndGet();
      work = Promise.promise();
      loop.back(work.future(), ar -> {
        work = null;
        if (loop.running()) {
          loop.pollIn(60_000);
        } else {
          loop.settled();
        }
      });
    }

    boolean idle() {
      return work == null;
    }

    void finishWork() {
      loop.execute(() -> work.complete());
    }

    boolean working() throws Exception {
      return onContext(() -> work != null);
    }

    <T> T onContext(java.util.concurrent.Callable<T> read) throws Exception {
      java.util.concurrent.CompletableFuture<T> answer = new java.util.concurrent.CompletableFuture<>();
      loop.execute(() -> {
        try {
          answer.complete(read.call());
        } catch (Exception e) {
          answer.completeExceptionally(e);
        }
      });
      return answer.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void startPollsAndAStopWaitsForTheWorkUnderWay() throws Exception {
    Job job = new Job();
    job.loop.start();
    Eventually.await("the first poll", () -> job.polls.get() == 1);
    assertTrue(job.working());

    Future<Void> stopped = job.loop.stop();
    Thread.sleep(200);
    assertFalse(stopped.isComplete(), "a stop completes only once the claimed work is recorded");
    job.finishWork();
    stopped.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(job.onContext(job.loop::running));
  }

  @Test
  void aWakePollsAtOnceButNotWhileWakesAreGathered() throws Exception {
    Job job = new Job();
    job.loop.start();
    Eventually.await("the first poll", () -> job.polls.get() == 1);
    job.finishWork(); // the next poll is timed a minute away
    Eventually.await("the work to end", () -> {
      try {
        return !job.working();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    job.loop.wake();
    Eventually.await("the woken poll", () -> job.polls.get() == 2);
    job.finishWork();
    Eventually.await("the work to end", () -> job.polls.get() == 2 && !safeWorking(job));

    job.onContext(() -> {
      job.loop.gatherFor(300);
      return null;
    });
    assertTrue(job.onContext(job.loop::gathering));
    job.loop.wake();
    job.loop.wake();
    Thread.sleep(100);
    assertEquals(2, job.polls.get(), "wakes while gathering wait for the gathered poll");
    Eventually.await("the gathered poll", () -> job.polls.get() == 3);
    assertFalse(job.onContext(job.loop::gathering));
  }

  private static boolean safeWorking(Job job) {
    try {
      return job.working();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aStoppedLoopNeitherPollsOnAWakeNorOnItsTimer() throws Exception {
    Job job = new Job();
    job.loop.start();
    Eventually.await("the first poll", () -> job.polls.get() == 1);
    job.finishWork();
    Eventually.await("the work to end", () -> !safeWorking(job));
    job.onContext(() -> {
      job.loop.pollIn(100);
      return null;
    });
    job.loop.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    job.loop.wake();
    Thread.sleep(300);
    assertEquals(1, job.polls.get());

    job.loop.start(); // a paused worker starts again (the journey inbox after a database outage)
    Eventually.await("the poll after the restart", () -> job.polls.get() == 2);
  }

  @Test
  void aFailedPollIsTriedAgainAfterASecondAtLeast() throws Exception {
    List<Long> timed = new CopyOnWriteArrayList<>();
    WorkLoop loop = new WorkLoop(vertx, LoggerFactory.getLogger(WorkLoopTest.class))
        .drives(() -> timed.add(System.nanoTime()), () -> true);
    loop.start(() -> {
      timed.add(System.nanoTime());
      loop.pollAfter(true, 10);
    });
    Eventually.await("the retry", () -> timed.size() == 2);
    long waitedMs = (timed.get(1) - timed.get(0)) / 1_000_000;
    assertTrue(waitedMs >= WorkLoop.RETRY_MS - 5, "waited " + waitedMs + " ms");
  }

  /** A worker that notes its start and stop. */
  private record Noted(String name, List<String> log) implements Worker {
    @Override
    public void start() {
      log.add("start " + name);
    }

    @Override
    public Future<Void> stop() {
      log.add("stop " + name);
      return name.equals("b") ? Future.failedFuture("b cannot stop") : Future.succeededFuture();
    }
  }

  @Test
  void workersStartInOrderAndStopInReverseEvenWhenOneFails() throws Exception {
    List<String> log = new ArrayList<>();
    Workers workers = Workers.start(List.of(new Noted("a", log), new Noted("b", log), new Noted("c", log)));
    workers.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), log);
    workers.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(6, log.size(), "a second stop stops nothing again");
  }
}
