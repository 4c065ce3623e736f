package io.siyu.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.WebProject;
import org.junit.jupiter.api.Test;

/**
 * The designer's choices on the real palette ({@code web/console/test/choices.test.mjs}, Node's test
 * runner): template, right, segment, tag and event-type fields become dropdowns of what the server
 * offers, an empty list leaves its field as text, and the palette so changed still loads in
 * bpmn-js-element-templates without an error.
 */
class DesignerChoicesTest {
  @Test
  void thePaletteWithChoicesLoads() throws Exception {
    WebProject.Result run = WebProject.run("test-console");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("# pass 3"), run.output());
    assertTrue(run.output().contains("# fail 0"), run.output());
  }
}
