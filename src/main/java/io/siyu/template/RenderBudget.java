package io.siyu.template;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.Map;

/**
 * What one render may spend: characters in any text it builds, items in any list a filter makes,
 * and time. Liquid calls it as it goes — at every filter ({@link GuardedFilters}), every piece of
 * output appended ({@link GuardedOutput}) and every loop iteration ({@link StrictContext}) — so a
 * runaway template stops while it grows, not after. Checked from the one thread a render runs on.
 */
final class RenderBudget {
  /** As many items as loops may run in a render: a list longer than that is of no use to a message. */
  /** The most items a list may have and iterations a loop may make in one render. */
  static final int MAX_ITEMS = 10_000;
  /** A text past this many times the channel's limit stops the render (it could not be sent anyway). */
  static final int RENDER_FACTOR = 4;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int maxChars;
  private final long millis;
  private final long deadline;
  private final long cpuAtStart;

  /** Made on the thread that renders: the time counted is that thread's CPU time from now. */
  RenderBudget(int maxChars, long millis) {
    this.maxChars = maxChars;
    this.millis = millis;
    this.deadline = System.nanoTime() + millis * 1_000_000;
    this.cpuAtStart = cpuNanos();
  }

  /**
   * Fails once the render has used more than its time in CPU, not in wall time: a busy machine, a
   * worker waiting for a core or a pause of the collector would otherwise fail a sound template, for
   * good on the dispatch path. The wall clock, cheap to read, says when to look at the CPU clock.
   */
  void checkTime() {
    if (System.nanoTime() - deadline > 0 && cpuNanos() - cpuAtStart > millis * 1_000_000) {
      throw RenderException.tooSlow("the render used more than " + millis + " ms of CPU");
    }
  }

  /** This thread's CPU time, or the wall clock where the JVM cannot tell. */
  private static long cpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** A text being built, {@code length} characters so far. */
  void checkLength(int length) {
    if (length > maxChars) {
      throw RenderException.tooLarge("the render built a text of more than " + maxChars
          + " characters (" + RENDER_FACTOR + " times the channel's limit)");
    }
  }

  /** A value a filter made: a text is held to the length, a list or map to {@value #MAX_ITEMS} items. */
  void checkValue(Object value) {
    if (value instanceof CharSequence text) {
      checkLength(text.length());
    } else if (value instanceof Collection<?> c) {
      checkItems(c.size());
    } else if (value instanceof Map<?, ?> m) {
      checkItems(m.size());
    } else if (value instanceof Object[] a) {
      checkItems(a.length);
    }
  }

  private void checkItems(int items) {
    if (items > MAX_ITEMS) {
      throw RenderException.tooLarge("the render built a list of more than " + MAX_ITEMS + " items");
    }
  }
}
