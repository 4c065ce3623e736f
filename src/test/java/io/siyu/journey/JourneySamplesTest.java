package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /journeys/samples}: the shipped journeys from the class path, to start a journey from. */
class JourneySamplesTest {
  private static final Api api = TestSiyu.withRole("manager");

  @Test
  void theShippedJourneysAreListedWithTitleAndDescription() throws Exception {
    Reply r = api.get("/api/v1/journeys/samples");
    assertEquals(200, r.status(), r.toString());
    List<String> names = r.items().stream().map(i -> ((JsonObject) i).getString("name")).toList();
    assertEquals(List.of("birthday", "dormant", "welcome"), names);
    JsonObject welcome = r.items().getJsonObject(2);
    assertEquals("新人欢迎 New-member welcome", welcome.getString("title"));
    assertTrue(welcome.getString("description").startsWith("New-member welcome SOP"), welcome.encode());

    for (String name : names) {
      Reply file = api.get("/api/v1/journeys/samples/" + name);
      assertEquals(200, file.status(), name + ": " + file);
      assertTrue(file.contentType().startsWith("application/xml"), file.contentType());
      assertEquals(Files.readString(Path.of("bpmn", name + ".bpmn")), file.body(), name + " is the shipped file, byte for byte");
    }
  }

  @Test
  void aSampleCopiedUnderAnotherKeyValidates() {
    String key = JourneyDeployTest.key();
    String copy = api.get("/api/v1/journeys/samples/birthday").body().replace("id=\"birthday\"", "id=\"" + key + "\"");
    Reply ok = JourneyValidateTest.validate(TestSiyu.admin(), copy);
    assertEquals(200, ok.status(), ok.toString());
    assertEquals(key, ok.json().getString("key"));
  }

  @Test
  void unknownSamplesAre404AndTheRouteIsNotAJourney() {
    Reply missing = api.get("/api/v1/journeys/samples/no_such_sample");
    assertEquals(404, missing.status());
    assertEquals("application/problem+json", missing.contentType());
    assertFalse(api.get("/api/v1/journeys/samples").body().contains("\"status\""), "not read as a journey called samples");
    assertEquals(401, TestSiyu.anonymous().get("/api/v1/journeys/samples").status());
    assertEquals(403, TestSiyu.withRole("integration").get("/api/v1/journeys/samples/welcome").status());
  }
}
