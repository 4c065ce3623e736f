package io.siyu.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Who this Siyu is among the instances that share a database, the same across its restarts. The
 * outbox marks each touch an instance claims with it, so that the instance, started again after a
 * crash, sends at once what it had claimed and not sent, instead of waiting for the claims' lease
 * (see {@code outbox.Dispatcher}). {@code SIYU_INSTANCE_ID} names it — a UUID, or any other text,
 * which stands for the name-based UUID made from it; otherwise it is a random UUID made at the
 * first start and kept in {@code SIYU_DATA_DIR/instance-id}.
 */
final class InstanceId {
  static final String FILE = "instance-id";
  static final String VARIABLE = "SIYU_INSTANCE_ID";

  private InstanceId() {}

  /** Blocking: the configured id, or the one kept in the data directory (made on the first start). */
  static UUID load(Config config) throws IOException {
    String configured = config.env().get(VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return of(configured.strip());
    }
    Path file = config.dataDir().resolve(FILE);
    if (Files.exists(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
      try {
        return UUID.fromString(kept);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(file + " must hold this instance's id, a UUID, not '" + kept
            + "' (delete it for a new one)", e);
      }
    }
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
