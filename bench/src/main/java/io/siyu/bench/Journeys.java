package io.siyu.bench;

import io.siyu.journey.JourneyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bundles the bpmn/ journeys the way the scenarios run them: read from the repository root,
 * waits zeroed, copies under other keys, completed by Siyu's own check.
 */
final class Journeys {
  private Journeys() {}

  /** A journey shipped in bpmn/, read from the working directory (the repository root). */
  static String readShipped(String file) throws IOException {
    Path p = Path.of("bpmn", file);
    if (!Files.isRegularFile(p)) {
      throw new BenchFailure("no " + p + " here: run the harness from the repository root");
    }
    return Files.readString(p);
  }

  /** The welcome journey with its day 1, 3 and 7 timers at zero (the send windows are zero by SIYU_SEND_WINDOW). */
  static String zeroWaits(String xml) {
    String out = xml.replaceAll("<bpmn:timeDuration>P[^<]*</bpmn:timeDuration>", "<bpmn:timeDuration>PT0S</bpmn:timeDuration>");
    int timers = xml.split("<bpmn:timeDuration>", -1).length - 1;
    if (timers != 3 || out.contains("P1D") || out.contains("P2D") || out.contains("P4D")) {
      throw new BenchFailure("bpmn/welcome.bpmn no longer has the three waits (1, 2 and 4 days) this harness zeroes");
    }
    return out;
  }

  /** The birthday journey as process {@code key}, entering at local hour 0 so a scan at any time of day enters today's birthdays. */
  static String birthdayCopy(String shipped, String key) {
    String out = shipped.replace("<bpmn:process id=\"birthday\"", "<bpmn:process id=\"" + key + "\"")
        .replace("name=\"siyu.hour\" value=\"9\"", "name=\"siyu.hour\" value=\"0\"");
    if (!out.contains("id=\"" + key + "\"") || !out.contains("name=\"siyu.hour\" value=\"0\"")) {
      throw new BenchFailure("bpmn/birthday.bpmn no longer has process id \"birthday\" with siyu.hour 9");
    }
    return out;
  }

  /** What Siyu deploys for a file: its markers completed into plain BPMN. The bare engine runs exactly this. */
  static String completed(String xml) {
    JourneyFile.Checked checked = JourneyFile.check(xml);
    if (!checked.ok()) {
      throw new BenchFailure("the journey file does not pass Siyu's checks: " + checked.problems());
    }
    return checked.journey().xml();
  }
}
