package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.journey.palette.Palette;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Camunda Modeler element templates describe the palette exactly: one per task type, the same fields. */
class ElementTemplatesTest {
  @Test
  void everyPaletteTaskHasATemplateWithItsFields() throws Exception {
    Map<String, JsonObject> byBean = new HashMap<>();
    try (Stream<Path> files = Files.list(Path.of("bpmn/element-templates"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (Object o : new JsonArray(Files.readString(f))) {
          JsonObject t = (JsonObject) o;
          assertTrue(t.getString("id").startsWith("io.siyu."), f.toString());
          t.getJsonArray("properties").stream().map(p -> ((JsonObject) p).getJsonObject("binding"))
              .filter(b -> "camunda:property".equals(b.getString("type")))
              .forEach(b -> assertTrue(Palette.MARKERS.contains(b.getString("name")) || Trigger.PROPERTIES.contains(b.getString("name")),
                  f + ": Siyu does not read " + b.getString("name")));
          t.getJsonArray("properties").stream().map(p -> (JsonObject) p)
              .filter(p -> "camunda:delegateExpression".equals(p.getJsonObject("binding").getString("name")))
              .forEach(p -> byBean.put(JourneyFile.beanOf(p.getString("value")), t));
        }
      }
    }
    assertEquals(Palette.TASKS.keySet(), byBean.keySet());
    Palette.TASKS.forEach((bean, type) -> {
      Set<String> required = new HashSet<>();
      Set<String> all = new HashSet<>();
      byBean.get(bean).getJsonArray("properties").stream().map(p -> (JsonObject) p)
          .filter(p -> "camunda:inputParameter".equals(p.getJsonObject("binding").getString("type")))
          .forEach(p -> {
            all.add(p.getJsonObject("binding").getString("name"));
            if (p.getJsonObject("constraints", new JsonObject()).getBoolean("notEmpty", false)) {
              required.add(p.getJsonObject("binding").getString("name"));
            }
          });
      assertEquals(type.required(), required, bean);
      Set<String> expected = new HashSet<>(type.required());
      expected.addAll(type.optional());
      assertEquals(expected, all, bean);
    });
  }
}
