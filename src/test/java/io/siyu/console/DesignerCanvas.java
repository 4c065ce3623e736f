package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.BoundingBox;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The designer's canvas and properties panel as a person uses them with the mouse: drag an entry
 * of the palette onto the canvas, connect two shapes with the context pad's "connect", fill a
 * field of the selected element. bpmn-js reads mouse events, so these are real mouse moves.
 */
final class DesignerCanvas {
  /** bpmn-js opens label editing and animates after a drop; the next click waits for it. */
  private static final int SETTLE_MS = 450;
  private final Page page;

  DesignerCanvas(Page page) {
    this.page = page;
    assertThat(page.locator(".djs-palette [data-action='siyu-journey-start']")).isVisible();
  }

  /**
   * Drags the palette entry {@code action} (e.g. {@code siyu-send-message}, {@code create.end-event})
   * to ({@code x}, {@code y}) of the canvas and answers the new shape's id. bpmn-js starts a drag only
   * after the mouse moved a little on the palette, and follows the mouse over the canvas in steps
   * (a jump lands nowhere).
   */
  String drop(String action, double x, double y) {
    Set<String> before = shapeIds();
    BoundingBox entry = page.locator(".djs-palette [data-action='" + action + "']").boundingBox();
    double sx = entry.x + entry.width / 2;
    double sy = entry.y + entry.height / 2;
    Mouse mouse = page.mouse();
    mouse.move(sx, sy);
    mouse.down();
    mouse.move(sx + 4, sy + 4);
    mouse.move(sx + 8, sy + 8);
    BoundingBox canvas = canvas().boundingBox();
    mouse.move(canvas.x + x, canvas.y + y, new Mouse.MoveOptions().setSteps(12));
    mouse.up();
    settle();
    page.keyboard().press("Escape"); // leave the label editing a task opens with
    Set<String> added = shapeIds();
    added.removeAll(before);
    // a shape and, for an event, its label (<id>_label)
    List<String> shapes = added.stream().filter(id -> !id.endsWith("_label")).toList();
    if (shapes.size() != 1) {
      throw new AssertionError("dropping " + action + " made " + added);
    }
    return shapes.get(0);
  }

  /** Connects {@code from} to {@code to}: select it, the context pad's "connect", then a click on the target. */
  void connect(String from, String to) {
    int flows = page.locator(".djs-connection").count();
    select(from);
    page.locator(".djs-context-pad [data-action='connect']").click();
    BoundingBox target = shape(to).boundingBox();
    Mouse mouse = page.mouse();
    mouse.move(target.x + target.width / 2, target.y + target.height / 2, new Mouse.MoveOptions().setSteps(12));
    mouse.down();
    mouse.up();
    settle();
    assertThat(page.locator(".djs-connection")).hasCount(flows + 1);
  }

  /** Selects a shape with a click (the properties panel then shows it); a click on the one selected would unselect it. */
  void select(String id) {
    Pattern selected = Pattern.compile("\\bselected\\b");
    if (!selected.matcher(shape(id).getAttribute("class")).find()) {
      BoundingBox box = shape(id).boundingBox();
      page.mouse().click(box.x + box.width / 2, box.y + box.height / 2);
      settle();
    }
    assertThat(shape(id)).hasClass(selected);
  }

  /** A field of the selected element's template fields (the panel's "Custom properties" group, opened when closed). */
  Locator field(String label) {
    Locator group = page.locator("[data-group-id='group-ElementTemplates__CustomProperties']");
    Locator header = group.locator(".bio-properties-panel-group-header");
    if (!header.getAttribute("class").contains("open")) {
      header.click();
    }
    return group.getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
  }

  /** Types {@code value} into the selected element's template field {@code label}; the panel takes it when the typing pauses. */
  void fill(String label, String value) {
    Locator field = field(label);
    field.fill(value);
    settle();
    assertThat(field).hasValue(value);
  }

  Locator shape(String id) {
    return page.locator(".djs-element[data-element-id='" + id + "']");
  }

  Locator canvas() {
    return page.getByTestId("canvas");
  }

  /** The process's id, the journey's key: the panel shows it when nothing is selected. */
  String processId() {
    selectProcess();
    return page.locator("#bio-properties-panel-id").inputValue();
  }

  /** Names a shape in the panel's "General" group. */
  void name(String id, String name) {
    select(id);
    fillName(name);
  }

  /** Names the process (the journey's name in the lists) in the panel's "General" group. */
  void nameProcess(String name) {
    selectProcess();
    fillName(name);
  }

  private void fillName(String name) {
    Locator header = page.locator("[data-group-id='group-general'] .bio-properties-panel-group-header");
    if (!header.getAttribute("class").contains("open")) {
      header.click();
    }
    page.locator("#bio-properties-panel-name").fill(name);
    settle();
  }

  private void selectProcess() {
    BoundingBox canvas = canvas().boundingBox();
    // top right: away from the shapes, the palette and the bpmn.io logo (bottom right)
    page.mouse().click(canvas.x + canvas.width - 120, canvas.y + 40);
    settle();
    assertThat(page.locator(".bio-properties-panel-header-type")).hasText("Process", new LocatorAssertions.HasTextOptions().setIgnoreCase(true));
  }

  private Set<String> shapeIds() {
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) page.locator(".djs-shape").evaluateAll("all => all.map(e => e.dataset.elementId)");
    return new HashSet<>(ids);
  }

  private void settle() {
    page.waitForTimeout(SETTLE_MS);
  }
}
