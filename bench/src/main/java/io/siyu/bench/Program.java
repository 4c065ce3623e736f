package io.siyu.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every harness program does around its scenarios: a fresh temp dir, {@link Cleanup} on
 * every way out (Ctrl-C included), the block for bench/RESULTS.md at the end, and the exit status:
 * 0 when the run completed (a missed goal is a FAIL in the table, not an error), 1 when a check
 * failed, 64 on bad arguments (see {@link #usage}).
 */
final class Program {
  /** A program's scenarios: measures, and answers the markdown block to print. */
  interface Body {
    String measure(Path work, Cleanup cleanup) throws Exception;
  }

  private Program() {}

  static void run(String name, boolean keep, Body body) {
    // slf4j-simple (in the jar) logs the bare engine and Vert.x at INFO to stderr otherwise
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int exit;
    try {
      Path work = Files.createTempDirectory("siyu-" + name + "-");
      Cleanup cleanup = new Cleanup(work, keep);
      Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, name + "-cleanup"));
      try {
        String markdown = body.measure(work, cleanup);
        System.out.println();
        System.out.println(markdown);
        exit = 0;
      } catch (Exception e) {
        cleanup.failed();
        throw e;
      }
    } catch (BenchFailure e) {
      System.err.println();
      // a Ctrl-C stops the server under the running scenario, which then fails for that reason
      System.err.println(Cleanup.stopping ? "BENCH INTERRUPTED" : "BENCH FAILED: " + e.getMessage());
      exit = 1;
    } catch (Exception e) {
      System.err.println();
      System.err.println("BENCH FAILED with an unexpected error:");
      e.printStackTrace();
      exit = 1;
    }
    // System.exit runs the shutdown hook that stops the child server and removes the temp dir
    System.exit(exit);
  }

  /**
   * A program's options from its arguments: bad ones end it with the usage text (exit status 64),
   * and {@code --help} prints the usage and answers null (nothing to run).
   */
  static <O> O options(String[] args, java.util.function.Function<String[], O> parse, String usage,
      java.util.function.Predicate<O> help) {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage(), usage);
      return null;
    }
    if (help.test(options)) {
      System.out.println(usage);
      return null;
    }
    return options;
  }

  /** Bad arguments: the error and the usage text, exit status 64. */
  static void usage(String error, String usage) {
    System.err.println("error: " + error);
    System.err.println();
    System.err.println(usage);
    System.exit(64);
  }

  /** The markdown block a run ends with. */
  static String block(String body) {
    return "----- paste into bench/RESULTS.md -----\n" + body + "----- end -----";
  }
}
