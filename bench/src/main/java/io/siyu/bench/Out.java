package io.siyu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Output: progress lines, JSON bodies, and the lines every RESULTS.md entry starts with. */
final class Out {
  static final ObjectMapper JSON = new ObjectMapper();

  private Out() {}

  static void log(String format, Object... args) {
    System.out.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Best effort: the commit measured, marked dirty when the tree has edits. */
  static String gitDescribe() {
    try {
      Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && !out.isEmpty() ? "`" + out + "`" : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  /** "- commit: …" and "- machine: …" lines of a RESULTS.md entry. */
  static String commitAndMachine() {
    return "- commit: " + gitDescribe() + "\n"
        + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + ' '
        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + "\n";
  }

  /** How a RESULTS.md entry names the command that produced it. */
  static String command(String program, String args) {
    return "bench/run.sh " + program + (args.isEmpty() ? "" : " " + args);
  }
}
