package io.siyu.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this Siyu is among the instances that share a database, the same across its restarts. The
 * outbox marks each touch an instance claims with it, so that the instance, started again after a
 * crash, sends at once what it had claimed and not sent, instead of waiting for the claims' lease
 * (see {@code outbox.Dispatcher}). {@code SIYU_INSTANCE_ID} names it — a UUID, or any other text,
 * which stands for the name-based UUID made from it; otherwise it is a random UUID made at the
 * first start and kept in {@code SIYU_DATA_DIR/instance-id}.
 */
final class InstanceId {
  private static final Logger log = LoggerFactory.getLogger(InstanceId.class);
  static final String FILE = "instance-id";
  static final String VARIABLE = "SIYU_INSTANCE_ID";

  private InstanceId() {}

  /**
   * Blocking: the configured id, or the one kept in the data directory (made on the first start).
   * A data directory that cannot keep one costs only the quick resend after a crash: this run gets
   * an id of its own, and says so.
   */
  static UUID load(Config config) {
    String configured = config.env().get(VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return of(configured.strip());
    }
    Path file = config.dataDir().resolve(FILE);
    try {
      return Files.exists(file) ? kept(file) : made(file);
    } catch (IOException | IllegalArgumentException e) {
      UUID once = UUID.randomUUID();
      log.warn("No lasting instance id ({}: {}); this run is {}: after a crash, the touches it had claimed wait "
          + "for their lease. Set {} to keep one", file, e.getMessage(), once, VARIABLE);
      return once;
    }
  }

  private static UUID kept(Path file) throws IOException {
    String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
    try {
      return UUID.fromString(kept);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("it holds '" + kept + "', not a UUID", e);
    }
  }

  private static UUID made(Path file) throws IOException {
    UUID made = UUID.randomUUID();
    Files.createDirectories(file.getParent());
    Path partial = Files.createTempFile(file.getParent(), FILE, ".tmp");
    Files.writeString(partial, made + "\n", StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return made;
  }

  /** A UUID as it is; any other name as the name-based UUID made from it. */
  static UUID of(String name) {
    try {
      return UUID.fromString(name);
    } catch (IllegalArgumentException e) {
      return UUID.nameUUIDFromBytes(("siyu-instance:" + name).getBytes(StandardCharsets.UTF_8));
    }
  }
}
