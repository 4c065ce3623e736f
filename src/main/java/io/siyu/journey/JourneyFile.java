package io.siyu.journey;

import io.siyu.journey.check.FlowCondition;
import io.siyu.journey.check.JourneyAllowList;
import io.siyu.journey.palette.Palette;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.Definitions;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.TimeDate;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * One journey file, read, checked and completed before it reaches the engine: the trigger from the
 * start event, every task against the palette, and Siyu's markers turned into plain BPMN (a wait
 * for an event gets its message, a send-window wait its timer, an A/B split its flow conditions),
 * so Camunda Modeler only ever needs element templates. Problems name the element and what is
 * wrong; a file with problems is not deployed.
 */
public final class JourneyFile {
  /**
   * A journey ready to deploy: key, name, trigger, the event types it listens to, its final XML,
   * its A/B splits and the names it uses that must exist (checked at deployment).
   */
  public record Journey(String key, String name, Trigger trigger, Set<String> listens, String xml,
      Map<String, Map<String, Integer>> splits, List<JourneyReferences.Reference> references) {}

  /** The input of each palette task that names something which must exist. */
  private static final Map<String, Map.Entry<String, JourneyReferences.Kind>> NAMED = Map.of(
      "sendMessage", Map.entry("template", JourneyReferences.Kind.TEMPLATE),
      "grantRight", Map.entry("right", JourneyReferences.Kind.RIGHT),
      "addTag", Map.entry("tagGroup", JourneyReferences.Kind.TAG_GROUP),
      "removeTag", Map.entry("tagGroup", JourneyReferences.Kind.TAG_GROUP),
      "setAttribute", Map.entry("attribute", JourneyReferences.Kind.ATTRIBUTE));

  /** Process ids that would name another route under /api/v1/journeys rather than the journey. */
  private static final Set<String> RESERVED_KEYS = Set.of("samples", "validate", "instances");

  /** Either a journey or the problems that keep it from being one. */
  public record Checked(Journey journey, List<JsonObject> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private JourneyFile() {}

  public static Checked check(String xml) {
    List<JsonObject> problems = new ArrayList<>();
    if (xml.contains("<!DOCTYPE") || xml.contains("<!ENTITY")) {
      problems.add(Trigger.problem("(file)", "a journey file may not declare a DOCTYPE or entities"));
      return new Checked(null, problems);
    }
    problems.addAll(JourneyAllowList.check(xml));
    BpmnModelInstance model;
    try {
      model = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      problems.add(Trigger.problem("(file)", "not a BPMN 2.0 file: " + rootCause(e)));
      return new Checked(null, problems);
    }
    Collection<Process> processes = model.getModelElementsByType(Process.class);
    if (processes.size() != 1) {
      problems.add(Trigger.problem("(file)", "a journey file holds exactly one process, this one has " + processes.size()));
      return new Checked(null, problems);
    }
    Process process = processes.iterator().next();
    if (RESERVED_KEYS.contains(process.getId())) {
      problems.add(Trigger.problem(process.getId(), "a journey cannot be called " + process.getId()
          + ": /api/v1/journeys/" + process.getId() + " is another route; give the process another id"));
    }
    if (!process.isExecutable()) {
      problems.add(Trigger.problem(process.getId(), "the process must be marked executable"));
    }
    List<StartEvent> starts = process.getChildElementsByType(StartEvent.class).stream().toList();
    Trigger trigger = null;
    if (starts.size() != 1) {
      problems.add(Trigger.problem(process.getId(), "a journey has exactly one start event at the top level, this one has " + starts.size()));
    } else {
      trigger = Trigger.read(starts.get(0).getId(), BpmnProperties.of(starts.get(0)), problems);
    }
    List<JourneyReferences.Reference> references = new ArrayList<>();
    if (trigger != null && trigger.segmentId() != null) {
      references.add(new JourneyReferences.Reference(starts.get(0).getId(), JourneyReferences.Kind.SEGMENT,
          trigger.segmentId().toString()));
    }
    checkTasks(model, problems, references);
    Set<String> listens = new TreeSet<>(trigger == null || !trigger.type().equals("event") ? List.of() : trigger.events());
    completeEventWaits(model, listens, problems);
    completeSendWindows(model, problems);
    completeConditions(model);
    Map<String, Map<String, Integer>> splits = completeSplits(model, problems);
    if (!problems.isEmpty()) {
      return new Checked(null, problems);
    }
    canonicalLayout((org.w3c.dom.Document) model.getDocument().getDomSource().getNode());
    String completed = Bpmn.convertToString(model);
    // what Siyu wrote in is held to the same allow-list as what the operator wrote
    problems.addAll(JourneyAllowList.check(completed));
    if (!problems.isEmpty()) {
      return new Checked(null, problems);
    }
    String name = process.getName() == null || process.getName().isBlank() ? process.getId() : process.getName();
    return new Checked(new Journey(process.getId(), name, trigger, listens, completed, splits, references), problems);
  }

  /**
   * Service tasks must be palette tasks with their required inputs (what else may appear in a
   * journey — no scripts, listeners, classes or expressions — is {@link JourneyAllowList}'s part).
   */
  private static void checkTasks(BpmnModelInstance model, List<JsonObject> problems,
      List<JourneyReferences.Reference> references) {
    for (ServiceTask t : model.getModelElementsByType(ServiceTask.class)) {
      String bean = beanOf(t.getCamundaDelegateExpression());
      Palette.TaskType type = bean == null ? null : Palette.TASKS.get(bean);
      if (type == null) {
        problems.add(Trigger.problem(t.getId(), "task type not known to Siyu: use one of the element templates "
            + new TreeSet<>(Palette.TASKS.keySet()) + " (camunda:delegateExpression=\"${name}\")"));
        continue;
      }
      Map<String, String> inputs = inputs(t);
      for (String required : type.required()) {
        if (inputs.get(required) == null || inputs.get(required).isBlank()) {
          problems.add(Trigger.problem(t.getId(), "missing required field " + required));
        }
      }
      for (String given : inputs.keySet()) {
        if (!type.required().contains(given) && !type.optional().contains(given)) {
          problems.add(Trigger.problem(t.getId(), "unknown field " + given + " for " + bean));
        }
      }
      checkValues(t.getId(), bean, inputs, problems);
      var named = NAMED.get(bean);
      if (named != null && inputs.get(named.getKey()) != null && !inputs.get(named.getKey()).isBlank()) {
        references.add(new JourneyReferences.Reference(t.getId(), named.getValue(), inputs.get(named.getKey()).strip()));
      }
    }
  }

  private static void checkValues(String id, String bean, Map<String, String> in, List<JsonObject> problems) {
    switch (bean) {
      case "sendMessage" -> {
        if (in.get("channel") != null && !Palette.CHANNELS.contains(in.get("channel"))) {
          problems.add(Trigger.problem(id, "channel must be one of " + Palette.CHANNELS));
        }
        if (in.get("kind") != null && !List.of("marketing", "transactional").contains(in.get("kind"))) {
          problems.add(Trigger.problem(id, "kind must be marketing or transactional"));
        }
      }
      case "awardPoints" -> positive(id, "points", in.get("points"), problems);
      case "awardGrowth" -> positive(id, "growth", in.get("growth"), problems);
      case "setLifecycleStage" -> {
        if (in.get("stage") != null && !Palette.STAGES.contains(in.get("stage"))) {
          problems.add(Trigger.problem(id, "stage must be one of " + Palette.STAGES));
        }
      }
      default -> { }
    }
  }

  private static void positive(String id, String field, String value, List<JsonObject> problems) {
    if (value == null) {
      return; // missing is reported once
    }
    try {
      if (Long.parseLong(value.trim()) < 1) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      problems.add(Trigger.problem(id, field + " must be a whole number above 0"));
    }
  }

  /** {@code siyu.event} on a catch event or receive task: the message named after the event type. */
  private static void completeEventWaits(BpmnModelInstance model, Set<String> listens, List<JsonObject> problems) {
    Definitions definitions = model.getDefinitions();
    Map<String, Message> messages = new HashMap<>();
    model.getModelElementsByType(Message.class).forEach(m -> messages.put(m.getName(), m));
    List<BaseElement> marked = new ArrayList<>();
    model.getModelElementsByType(CatchEvent.class).stream().filter(e -> BpmnProperties.of(e).containsKey(Palette.EVENT)).forEach(marked::add);
    model.getModelElementsByType(ReceiveTask.class).stream().filter(e -> BpmnProperties.of(e).containsKey(Palette.EVENT)).forEach(marked::add);
    for (BaseElement element : marked) {
      String type = BpmnProperties.of(element).get(Palette.EVENT).trim();
      if (element instanceof StartEvent s && s.getParentElement() instanceof Process) {
        continue; // the journey's own trigger, read above
      }
      if (!io.siyu.event.EventInput.TYPE.matcher(type).matches()) {
        problems.add(Trigger.problem(element.getId(), "siyu.event must be one event type, like purchase or right.redeemed"));
        continue;
      }
      JsonObject match = matchOf(element, problems);
      String name = EventMatch.messageName(type, match);
      Message message = messages.computeIfAbsent(name, t -> {
        Message m = model.newInstance(Message.class);
        m.setId("Message_" + t.replaceAll("[^A-Za-z0-9_]", "_") + (match.isEmpty() ? "" : "_" + Integer.toHexString(t.hashCode())));
        m.setName(t);
        definitions.addChildElement(m);
        return m;
      });
      if (element instanceof ReceiveTask r) {
        r.setMessage(message);
      } else {
        CatchEvent event = (CatchEvent) element;
        MessageEventDefinition def = event.getEventDefinitions().stream().filter(MessageEventDefinition.class::isInstance)
            .map(MessageEventDefinition.class::cast).findFirst().orElseGet(() -> {
              MessageEventDefinition d = model.newInstance(MessageEventDefinition.class, event.getId() + "_message");
              event.getEventDefinitions().add(d);
              return d;
            });
        def.setMessage(message);
      }
    }
    // every message a journey waits for is an event type it listens to
    model.getModelElementsByType(Message.class).forEach(m -> listens.add(EventMatch.type(m.getName())));
  }

  /** {@code siyu.match} on a wait: the properties the awaited event must carry. */
  private static JsonObject matchOf(BaseElement element, List<JsonObject> problems) {
    String raw = BpmnProperties.of(element).get(Palette.MATCH);
    if (raw == null || raw.isBlank()) {
      return new JsonObject();
    }
    if (raw.contains("${") || raw.contains("#{")) {
      // the condition becomes part of a message name, which the engine would evaluate as an expression
      problems.add(Trigger.problem(element.getId(), "siyu.match may not contain expressions"));
      return new JsonObject();
    }
    try {
      return new JsonObject(raw);
    } catch (RuntimeException e) {
      problems.add(Trigger.problem(element.getId(), "siyu.match must be a JSON object, e.g. {\"right_code\":\"birthday\"}"));
      return new JsonObject();
    }
  }

  /** {@code siyu.task=sendWindow} on an intermediate catch event: a timer to when the contact's send window opens. */
  private static void completeSendWindows(BpmnModelInstance model, List<JsonObject> problems) {
    for (IntermediateCatchEvent e : model.getModelElementsByType(IntermediateCatchEvent.class)) {
      Map<String, String> p = BpmnProperties.of(e);
      if (!Palette.SEND_WINDOW.equals(p.get(Palette.TASK))) {
        continue;
      }
      // an empty window (the palette's field left empty) is the default window
      if (!p.getOrDefault(Palette.WINDOW, "").isBlank() && SendWindow.parse(p.get(Palette.WINDOW)) == null) {
        problems.add(Trigger.problem(e.getId(), "siyu.window must look like 09:00-21:00"));
      }
      TimerEventDefinition timer = e.getEventDefinitions().stream().filter(TimerEventDefinition.class::isInstance)
          .map(TimerEventDefinition.class::cast).findFirst().orElseGet(() -> {
            TimerEventDefinition d = model.newInstance(TimerEventDefinition.class, e.getId() + "_timer");
            e.getEventDefinitions().add(d);
            return d;
          });
      if (timer.getTimeDate() == null) {
        timer.setTimeDate(model.newInstance(TimeDate.class, e.getId() + "_opens"));
      }
      timer.getTimeDate().setTextContent(Palette.sendWindowExpression());
      if (timer.getTimeDuration() != null) {
        timer.removeChildElement(timer.getTimeDuration());
      }
      if (timer.getTimeCycle() != null) {
        timer.removeChildElement(timer.getTimeCycle());
      }
    }
  }

  /**
   * Every flow condition is replaced by its canonical text in the condition language, so the
   * engine evaluates what Siyu wrote from the parsed tree, never the uploaded text (the allow-list
   * has refused any condition outside the language).
   */
  private static void completeConditions(BpmnModelInstance model) {
    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      if (flow.getConditionExpression() == null || flow.getConditionExpression().getTextContent().isBlank()) {
        continue;
      }
      try {
        flow.setConditionExpression(condition(model, flow, FlowCondition.canonical(flow.getConditionExpression().getTextContent())));
      } catch (FlowCondition.Invalid refusedByTheAllowList) {
        // reported with the element by JourneyAllowList
      }
    }
  }

  /** A condition element with an id derived from its flow: an unchanged file completes to the same XML. */
  private static ConditionExpression condition(BpmnModelInstance model, SequenceFlow flow, String text) {
    ConditionExpression condition = model.newInstance(ConditionExpression.class, flow.getId() + "_condition");
    condition.setTextContent(text);
    return condition;
  }

  /** {@code siyu.split=A:45,B:45,control:10} on an exclusive gateway: one named outgoing flow per branch. */
  private static Map<String, Map<String, Integer>> completeSplits(BpmnModelInstance model, List<JsonObject> problems) {
    Map<String, Map<String, Integer>> splits = new LinkedHashMap<>();
    for (ExclusiveGateway g : model.getModelElementsByType(ExclusiveGateway.class)) {
      String spec = BpmnProperties.of(g).get(Palette.SPLIT);
      if (spec == null) {
        continue;
      }
      Map<String, Integer> branches = Split.parse(spec);
      if (branches == null) {
        problems.add(Trigger.problem(g.getId(), "siyu.split must list branch:percent pairs adding up to 100, e.g. A:45,B:45,control:10"));
        continue;
      }
      Set<String> flowNames = new TreeSet<>();
      // from the flows' sourceRef: hand-written files need not list <bpmn:outgoing> on the gateway
      List<SequenceFlow> outgoing = model.getModelElementsByType(SequenceFlow.class).stream()
          .filter(f -> f.getSource() == g).toList();
      for (SequenceFlow flow : outgoing) {
        String name = flow.getName() == null ? "" : flow.getName().trim();
        flowNames.add(name);
        if (!branches.containsKey(name)) {
          problems.add(Trigger.problem(flow.getId(), "an outgoing flow of an A/B split must be named after one of its branches " + branches.keySet()));
          continue;
        }
        flow.setConditionExpression(condition(model, flow, Split.condition(name)));
      }
      branches.keySet().stream().filter(b -> !flowNames.contains(b))
          .forEach(b -> problems.add(Trigger.problem(g.getId(), "branch " + b + " has no outgoing flow named after it")));
      splits.put(g.getId(), branches);
    }
    return splits;
  }

  /**
   * Lays the completed file out the same way whatever the upload's layout, so a deployed file
   * uploaded again (as the console does with a version it opened) completes to the same XML and
   * makes no new version. Two things differed on every round trip: the whitespace between elements,
   * which the writer indents anew (kept, it came back indented once more), and the elements Siyu
   * adds, which the model writes without a prefix and with a namespace declaration of their own (read
   * back, that declaration became an attribute in another place). So the whitespace between elements
   * goes (text of elements that hold only text — documentation, conditions, timers — is kept), and
   * every element of a namespace the root binds to a prefix takes that prefix, its own default
   * declaration of it dropped.
   */
  private static void canonicalLayout(org.w3c.dom.Document document) {
    org.w3c.dom.Element root = document.getDocumentElement();
    Map<String, String> prefixes = new HashMap<>();
    org.w3c.dom.NamedNodeMap attributes = root.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      org.w3c.dom.Node a = attributes.item(i);
      if (javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI()) && a.getPrefix() != null) {
        prefixes.putIfAbsent(a.getNodeValue(), a.getLocalName());
      }
    }
    canonicalLayout(root, prefixes);
  }

  private static void canonicalLayout(org.w3c.dom.Element element, Map<String, String> prefixes) {
    if (element.getPrefix() == null && prefixes.containsKey(element.getNamespaceURI())) {
      element.setPrefix(prefixes.get(element.getNamespaceURI()));
    }
    org.w3c.dom.Attr own = element.getAttributeNodeNS(javax.xml.XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns");
    if (own != null && prefixes.containsKey(own.getValue())) {
      element.removeAttributeNode(own);
    }
    org.w3c.dom.NodeList children = element.getChildNodes();
    boolean hasElements = false;
    for (int i = 0; i < children.getLength(); i++) {
      hasElements |= children.item(i).getNodeType() == org.w3c.dom.Node.ELEMENT_NODE;
    }
    for (int i = children.getLength() - 1; i >= 0; i--) {
      org.w3c.dom.Node child = children.item(i);
      if (hasElements && child.getNodeType() == org.w3c.dom.Node.TEXT_NODE && child.getNodeValue().isBlank()) {
        element.removeChild(child);
      } else if (child instanceof org.w3c.dom.Element e) {
        canonicalLayout(e, prefixes);
      }
    }
  }

  /** The bean a delegate expression like {@code ${addTag}} names, or null. */
  static String beanOf(String expression) {
    if (!JourneyAllowList.isBeanReference(expression)) {
      return null;
    }
    String e = expression.strip();
    return e.substring(2, e.length() - 1).strip();
  }

  /** The {@code camunda:inputParameter} values of an element (text content; null for scripts and maps). */
  static Map<String, String> inputs(BaseElement element) {
    Map<String, String> out = new LinkedHashMap<>();
    if (element.getExtensionElements() == null) {
      return out;
    }
    for (ModelElementInstance x : element.getExtensionElements().getElementsQuery().filterByType(CamundaInputOutput.class).list()) {
      for (CamundaInputParameter p : ((CamundaInputOutput) x).getCamundaInputParameters()) {
        out.put(p.getCamundaName(), p.getValue() == null ? p.getTextContent() : null);
      }
    }
    return out;
  }

  private static String rootCause(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
