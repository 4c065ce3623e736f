package io.siyu.db;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded postmaster when the Siyu that started it dies, however it dies. Java cannot
 * ask Linux to signal a child at its parent's death (prctl needs native code), and the postmaster
 * is no child anyway: pg_ctl starts it in a session of its own. So a small shell reads the
 * postmaster's pid from a pipe that only this JVM holds open. A JVM that exits, crashes or is
 * killed closes the pipe, the shell reads its end and sends the postmaster SIGINT, PostgreSQL's
 * fast shutdown (open transactions roll back; nothing committed is lost). Siyu's own stop first
 * stops the server and then tells the shell to do nothing (an empty line).
 *
 * <p>Where there is no shell the watchdog does nothing, and the next start stops a postmaster left
 * running (see {@link EmbeddedServer}).
 */
final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  /**
   * Keeps the last line read; at the end of its input, signals that pid, if any. It ignores the
   * terminal's SIGINT and SIGHUP, which reach Siyu too: Siyu then stops the server itself.
   */
  private static final String SCRIPT = "trap '' INT HUP; pid=; while read -r line; do pid=$line; done; "
      + "[ -z \"$pid\" ] || kill -s INT \"$pid\" 2>/dev/null; exit 0";

  private final OutputStream pipe;

  private Watchdog(OutputStream pipe) {
    this.pipe = pipe;
  }

  static Watchdog start() {
    try {
      Process shell = new ProcessBuilder("sh", "-c", SCRIPT)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return new Watchdog(shell.getOutputStream());
    } catch (IOException e) {
      log.info("No watchdog for the embedded PostgreSQL ({}): should Siyu be killed, its next start stops the "
          + "server it left running", e.getMessage());
      return new Watchdog(null);
    }
  }

  /** The postmaster to stop should this JVM die. */
  synchronized void guard(long pid) {
    write(pid + "\n", false);
  }

  /** Siyu has stopped the server itself: the watchdog ends without signalling anything. */
  synchronized void release() {
    write("\n", true);
  }

  private void write(String line, boolean last) {
    if (pipe == null) {
      return;
    }
    try {
      pipe.write(line.getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
      if (last) {
        pipe.close();
      }
    } catch (IOException e) {
      // the shell is gone (killed with Siyu's process group): the next start covers for it
      log.debug("Watchdog unavailable: {}", e.getMessage());
    }
  }
}
