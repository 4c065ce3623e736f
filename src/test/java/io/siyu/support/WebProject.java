package io.siyu.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The npm project in {@code web/}, run from tests with the machine's own Node and npm (no plugin
 * downloads a Node): its dependencies are installed with {@code npm ci} the first time a test
 * needs them (or when the lock file is newer than the installed tree), then its scripts run as
 * {@code npm run}.
 */
public final class WebProject {
  /** Node's oldest release with what the scripts use (module hooks) and the libraries ask for. */
  private static final int[] NODE_AT_LEAST = {20, 19};
  private static final Path DIR = Path.of("web").toAbsolutePath();
  private static boolean installed;

  private WebProject() {}

  /** What a script printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  /** Runs {@code npm run <script> -- args}, installing the dependencies first if need be. */
  public static Result run(String script, String... args) throws Exception {
    install();
    List<String> command = new ArrayList<>(List.of(executable("npm"), "run", "--silent", script, "--"));
    command.addAll(List.of(args));
    return exec(command, 120);
  }

  private static synchronized void install() throws Exception {
    if (installed) {
      return;
    }
    checkNode();
    // the build's own step: npm ci when node_modules is missing or older than package-lock.json
    Result ci = exec(List.of(executable("node"), "scripts/ensure-installed.mjs"), 600);
    if (ci.exitCode() != 0) {
      throw new AssertionError("installing web/'s dependencies failed:\n" + ci.output());
    }
    installed = true;
  }

  private static void checkNode() throws Exception {
    String version = exec(List.of(executable("node"), "--version"), 30).output().trim();
    Matcher m = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(version);
    if (!m.lookingAt() || Integer.parseInt(m.group(1)) < NODE_AT_LEAST[0]
        || Integer.parseInt(m.group(1)) == NODE_AT_LEAST[0] && Integer.parseInt(m.group(2)) < NODE_AT_LEAST[1]) {
      throw new AssertionError("web/ needs Node " + NODE_AT_LEAST[0] + "." + NODE_AT_LEAST[1] + " or later, found " + version);
    }
  }

  /** The program {@code name} on the PATH (node, npm); a missing one fails with what the tests need. */
  public static String executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(name + " is not on the PATH: the tests need Node 20 and npm (README, Start here)");
  }

  /** Output goes to a file, so a process that never closes its output cannot hang the test past its time. */
  private static Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("siyu-web", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // npm's node child too
        p.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", command) + " ran over " + timeoutSeconds + " s:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
