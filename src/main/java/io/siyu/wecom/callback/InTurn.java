package io.siyu.wecom.callback;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Work per item, one after another for items of one key, side by side for the others. */
public final class InTurn {
  private InTurn() {}

  /**
   * {@code work} for each item, those with the same {@code key} one after another in the order
   * given; the answers in the order given. A failure does not stop the next of its key: for
   * callbacks that is a later change of the same thing, which has to be applied whatever became of
   * the one before (as it would be on a retry). Work that throws, or answers no future, has failed.
   */
  public static <T, R> List<Future<R>> byKey(List<T> items, Function<T, ?> key, Function<T, Future<R>> work) {
    // the next of a key starts on the context this was called on, not on the thread that finished the last
    Context context = Vertx.currentContext();
    Map<Object, Future<R>> last = new HashMap<>();
    List<Future<R>> answers = new ArrayList<>(items.size());
    for (T item : items) {
      Future<R> before = last.get(key.apply(item));
      Future<R> answer = before == null ? attempt(work, item)
          : before.transform(x -> context == null ? attempt(work, item) : on(context, () -> attempt(work, item)));
      last.put(key.apply(item), answer);
      answers.add(answer);
    }
    return answers;
  }

  private static <T, R> Future<R> attempt(Function<T, Future<R>> work, T item) {
    try {
      Future<R> f = work.apply(item);
      return f == null ? Future.failedFuture("no future was answered") : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code work} started as a task of {@code context}. */
  static <T> Future<T> on(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }
}
