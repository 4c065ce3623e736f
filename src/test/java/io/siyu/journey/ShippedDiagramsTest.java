package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped journeys carry a diagram (BPMN DI), so Camunda Modeler and bpmn-js open them as
 * drawings: every flow node has one shape, every sequence flow an edge that starts at its source
 * and ends at its target, and what sits inside an expanded subprocess is drawn inside it. A plain
 * unit test on the files; no server.
 */
class ShippedDiagramsTest {
  private static final Path DIR = Path.of("bpmn");
  /** Waypoints are docked on shape borders; allow for rounding. */
  private static final double SLACK = 1;

  static List<Path> journeyFiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
    }
  }

  @Test
  void theShippedJourneysAreChecked() throws IOException {
    List<String> names = journeyFiles().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("welcome.bpmn", "birthday.bpmn", "dormant.bpmn")), names.toString());
  }

  @ParameterizedTest
  @MethodSource("journeyFiles")
  void everyElementIsDrawn(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    String f = file.getFileName() + ": ";

    Collection<BpmnDiagram> diagrams = model.getModelElementsByType(BpmnDiagram.class);
    assertEquals(1, diagrams.size(), f + "one diagram");
    Process process = model.getModelElementsByType(Process.class).iterator().next();
    assertEquals(process, diagrams.iterator().next().getBpmnPlane().getBpmnElement(), f + "the diagram draws the process");

    Map<String, List<BpmnShape>> shapes = new HashMap<>();
    for (BpmnShape s : model.getModelElementsByType(BpmnShape.class)) {
      assertNotNull(s.getBpmnElement(), f + "shape " + s.getId() + " draws nothing");
      shapes.computeIfAbsent(s.getBpmnElement().getId(), k -> new ArrayList<>()).add(s);
    }
    Map<String, List<BpmnEdge>> edges = new HashMap<>();
    for (BpmnEdge e : model.getModelElementsByType(BpmnEdge.class)) {
      assertNotNull(e.getBpmnElement(), f + "edge " + e.getId() + " draws nothing");
      edges.computeIfAbsent(e.getBpmnElement().getId(), k -> new ArrayList<>()).add(e);
    }

    Collection<FlowNode> nodes = model.getModelElementsByType(FlowNode.class);
    assertFalse(nodes.isEmpty(), f + "no flow nodes");
    for (FlowNode node : nodes) {
      List<BpmnShape> mine = shapes.getOrDefault(node.getId(), List.of());
      assertEquals(1, mine.size(), f + node.getId() + " must have exactly one shape");
      Bounds b = mine.get(0).getBounds();
      assertNotNull(b, f + node.getId() + " shape has no bounds");
      assertTrue(b.getWidth() > 0 && b.getHeight() > 0, f + node.getId() + " shape has no size");
      if (node instanceof SubProcess sub && sub.triggeredByEvent()) {
        assertTrue(mine.get(0).isExpanded(), f + "event subprocess " + node.getId() + " is drawn expanded");
      }
    }

    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      List<BpmnEdge> mine = edges.getOrDefault(flow.getId(), List.of());
      assertEquals(1, mine.size(), f + flow.getId() + " must have exactly one edge");
      List<Waypoint> points = List.copyOf(mine.get(0).getWaypoints());
      assertTrue(points.size() >= 2, f + flow.getId() + " needs at least two waypoints");
      Bounds source = shapes.get(flow.getSource().getId()).get(0).getBounds();
      Bounds target = shapes.get(flow.getTarget().getId()).get(0).getBounds();
      assertTrue(within(points.get(0), source), f + flow.getId() + " does not start at " + flow.getSource().getId());
      assertTrue(within(points.get(points.size() - 1), target), f + flow.getId() + " does not end at " + flow.getTarget().getId());
    }

    // what a subprocess holds is drawn inside it (shapes, their labels, and its flows' waypoints)
    for (SubProcess sub : model.getModelElementsByType(SubProcess.class)) {
      BpmnShape subShape = shapes.get(sub.getId()).get(0);
      if (!subShape.isExpanded()) {
        continue;
      }
      Bounds outer = subShape.getBounds();
      for (FlowNode child : sub.getChildElementsByType(FlowNode.class)) {
        BpmnShape s = shapes.get(child.getId()).get(0);
        assertTrue(within(s.getBounds(), outer), f + child.getId() + " lies outside its subprocess " + sub.getId());
        if (s.getBpmnLabel() != null && s.getBpmnLabel().getBounds() != null) {
          assertTrue(within(s.getBpmnLabel().getBounds(), outer), f + child.getId() + "'s label lies outside " + sub.getId());
        }
      }
      for (SequenceFlow flow : sub.getChildElementsByType(SequenceFlow.class)) {
        for (Waypoint p : edges.get(flow.getId()).get(0).getWaypoints()) {
          assertTrue(within(p, outer), f + flow.getId() + " leaves its subprocess " + sub.getId());
        }
      }
    }
  }

  private static boolean within(Waypoint p, Bounds b) {
    return p.getX() >= b.getX() - SLACK && p.getX() <= b.getX() + b.getWidth() + SLACK
        && p.getY() >= b.getY() - SLACK && p.getY() <= b.getY() + b.getHeight() + SLACK;
  }

  private static boolean within(Bounds inner, Bounds outer) {
    return inner.getX() >= outer.getX() && inner.getY() >= outer.getY()
        && inner.getX() + inner.getWidth() <= outer.getX() + outer.getWidth()
        && inner.getY() + inner.getHeight() <= outer.getY() + outer.getHeight();
  }
}
