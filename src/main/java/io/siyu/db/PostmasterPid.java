package io.siyu.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL's lock file {@code postmaster.pid} in a data directory says: the postmaster's
 * process id, its data directory and its port. The file outlives a postmaster that was killed, and
 * a postmaster outlives a Siyu that was killed (it runs in a session of its own); so before
 * starting, Siyu asks which of the two it is looking at.
 */
record PostmasterPid(long pid, Path dataDir, int port) {
  static final String FILE = "postmaster.pid";

  /** The lock file of {@code dataDir}, if there is one that can be read. */
  static Optional<PostmasterPid> read(Path dataDir) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("Could not read " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
    }
    // line 1: pid, 2: data directory, 3: start time, 4: port (the rest: socket dir, host, shared memory)
    if (lines.size() < 4) {
      return Optional.empty(); // being written by a postmaster that is starting, or truncated
    }
    try {
      return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim()),
          Integer.parseInt(lines.get(3).trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The process the file names, while it runs. */
  Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  /**
   * Whether {@code process} is a postmaster of {@code dataDir}: a {@code postgres} executable started
   * with {@code -D dataDir}. Answers empty when the system does not say (another user's process).
   */
  static Optional<Boolean> isPostmasterOf(ProcessHandle process, Path dataDir) {
    ProcessHandle.Info info = process.info();
    if (info.command().isEmpty() || info.arguments().isEmpty()) {
      return Optional.empty();
    }
    String executable = Path.of(info.command().get()).getFileName().toString();
    if (!executable.equals("postgres")) {
      return Optional.of(false);
    }
    String[] args = info.arguments().get();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D") && sameDirectory(Path.of(args[i + 1]), dataDir)) {
        return Optional.of(true);
      }
    }
    return Optional.of(false);
  }

  static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }
}
