package io.siyu.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What Siyu writes to standard output and error (its log included: slf4j-simple looks up
 * {@code System.err} at every line) while some work runs, still passed on to the console.
 */
public final class ConsoleCapture {
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  /** Runs {@code work} with both streams copied here; answers what it answers. */
  public <T> T during(Callable<T> work) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
    try {
      return work.call();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Everything copied so far. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  public void reset() {
    synchronized (copy) {
      copy.reset();
    }
  }

  private OutputStream tee(OutputStream console) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int off, int len) {
        synchronized (copy) {
          copy.write(bytes, off, len);
        }
        try {
          console.write(bytes, off, len);
        } catch (IOException ignored) {
          // the copy is what the test reads
        }
      }
    };
  }
}
