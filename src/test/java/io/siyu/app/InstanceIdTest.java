package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An instance is the same instance across restarts: by its setting, or by the id its data directory keeps. */
class InstanceIdTest {

  @Test
  void theDataDirectoryKeepsTheIdMadeAtTheFirstStart() throws Exception {
    Path data = Files.createTempDirectory("siyu-instance");
    UUID first = InstanceId.load(config(data, Map.of()));
    assertEquals(first, InstanceId.load(config(data, Map.of())));
    assertEquals(first.toString(), Files.readString(data.resolve("instance-id")).strip());
    assertNotEquals(first, InstanceId.load(config(Files.createTempDirectory("siyu-instance"), Map.of())));
  }

  @Test
  void theSettingWinsAndAnyNameStandsForOneUuid() throws Exception {
    Path data = Files.createTempDirectory("siyu-instance");
    UUID given = UUID.randomUUID();
    assertEquals(given, InstanceId.load(config(data, Map.of("SIYU_INSTANCE_ID", given.toString()))));
    UUID named = InstanceId.load(config(data, Map.of("SIYU_INSTANCE_ID", "siyu-0")));
    Path elsewhere = Files.createTempDirectory("siyu-instance");
    assertEquals(named, InstanceId.load(config(elsewhere, Map.of("SIYU_INSTANCE_ID", "siyu-0"))));
    assertNotEquals(named, InstanceId.load(config(data, Map.of("SIYU_INSTANCE_ID", "siyu-1"))));
  }

  @Test
  void aDataDirectoryThatCannotKeepOneStillStarts() throws Exception {
    Path notADirectory = Files.createTempFile("siyu-instance", ".txt");
    UUID once = InstanceId.load(config(notADirectory, Map.of()));
    assertNotEquals(once, InstanceId.load(config(notADirectory, Map.of())), "an id for this run only");
  }

  private static Config config(Path dataDir, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("SIYU_DATA_DIR", dataDir.toString());
    return Config.fromMap(all);
  }
}
