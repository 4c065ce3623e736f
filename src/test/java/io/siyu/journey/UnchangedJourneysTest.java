package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.siyu.app.Siyu;
import io.siyu.support.Api.Reply;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unchanged journey file makes no new version, however often Siyu starts or it is uploaded
 * again: what Siyu completes in a file (message, timer and condition elements) gets ids derived
 * from the element it completes, so the same file always completes to the same XML.
 */
class UnchangedJourneysTest {
  private static final List<String> SHIPPED = List.of("welcome", "birthday", "dormant");

  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  @Test
  void everyShippedJourneyStaysAtVersionOneOverThreeStartsAndAReupload() throws Exception {
    for (int start = 2; start <= 3; start++) {
      Siyu again = server.secondInstance(Map.of());
      TestSiyu.stop(again);
    }
    for (String key : SHIPPED) {
      assertEquals(1, server.api().get("/api/v1/journeys/" + key).json().getJsonArray("versions").size(), key);
      Reply upload = JourneyDeployTest.deploy(server.api(), Files.readString(Path.of("bpmn", key + ".bpmn")));
      assertEquals(200, upload.status(), key + ": " + upload);
      assertFalse(upload.json().getBoolean("changed"), key);
      assertEquals(1, upload.json().getInteger("version"), key);
    }
  }
}
