package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.WebProject;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The palette loads in bpmn.io's element-templates library, as Camunda Modeler and Siyu's designer
 * load it: every file in {@code bpmn/element-templates} passes the element-templates JSON schema
 * (through {@code @bpmn-io/element-templates-validator}) and bpmn-js-element-templates' own
 * loader, which refuses a template that the schema allows but a modeler cannot apply. The check is
 * {@code web/scripts/check-element-templates.mjs}, run with the machine's Node.
 */
class ElementTemplatesLoadTest {
  private static final Path PALETTE = Path.of("bpmn/element-templates");

  @Test
  void everyTemplateOfThePaletteLoads() throws Exception {
    int templates = 0;
    try (Stream<Path> files = Files.list(PALETTE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        templates += new JsonArray(Files.readString(f)).size();
      }
    }
    WebProject.Result check = WebProject.run("check-element-templates", PALETTE.toAbsolutePath().toString());
    assertEquals(0, check.exitCode(), check.output());
    assertTrue(check.output().contains(templates + " of " + templates + " templates"), check.output());
  }

  /** What the shipped wait-for-event.json once was: a receive task cannot become a catch event. */
  @Test
  void aTemplateWhoseTypesCannotMorphIntoItsElementTypeIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("wait.json"), """
        [{"name": "Wait", "id": "io.siyu.test-wait", "version": 1,
          "appliesTo": ["bpmn:IntermediateCatchEvent", "bpmn:ReceiveTask"],
          "elementType": {"value": "bpmn:IntermediateCatchEvent"},
          "properties": [{"label": "Event type", "type": "String",
            "binding": {"type": "camunda:property", "name": "siyu.event"}}]}]""");
    assertRefused(dir, "can not morph <bpmn:ReceiveTask> into <bpmn:IntermediateCatchEvent>");
  }

  @Test
  void aTemplateAgainstTheSchemaIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("typo.json"), """
        [{"name": "Typo", "id": "io.siyu.test-typo", "appliesTo": ["bpmn:ServiceTask"],
          "properties": [{"label": "Points", "type": "Strnig",
            "binding": {"type": "camunda:inputParameter", "name": "points"}}]}]""");
    assertRefused(dir, "typo.json: template <io.siyu.test-typo>: /properties/0/type");
  }

  @Test
  void twoTemplatesWithOneIdAndVersionAreRefused(@TempDir Path dir) throws Exception {
    String template = """
        [{"name": "Tag", "id": "io.siyu.test-twice", "version": 2, "appliesTo": ["bpmn:ServiceTask"], "properties": []}]""";
    Files.writeString(dir.resolve("a.json"), template);
    Files.writeString(dir.resolve("b.json"), template);
    assertRefused(dir, "b.json: template(id: <io.siyu.test-twice>, name: <Tag>): template id <io.siyu.test-twice> and version <2> already used");
  }

  @Test
  void aFileThatIsNotJsonIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("cut.json"), "[{\"name\": \"Cut\",");
    assertRefused(dir, "cut.json: not JSON");
  }

  private static void assertRefused(Path dir, String problem) throws Exception {
    WebProject.Result check = WebProject.run("check-element-templates", dir.toString());
    assertEquals(1, check.exitCode(), check.output());
    assertTrue(check.output().contains(problem), check.output());
  }
}
