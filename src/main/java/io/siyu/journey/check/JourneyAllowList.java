package io.siyu.journey.check;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The journey file's allow-list: every element, attribute and text of the XML is checked against
 * what Siyu's palette writes, before anything reaches the engine. What is not listed here is
 * refused, naming the BPMN element it sits in. In particular nothing the engine would evaluate is
 * let through except Siyu's own forms: a palette bean as a service task's delegate, a condition of
 * {@link FlowCondition}'s language on a flow, and the send window's timer. So no listener, script,
 * Java class, external task, field injection, input/output mapping, expression in a timer or a
 * message name, call activity or loop can be written into a journey.
 */
public final class JourneyAllowList {
  static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  /** Diagram interchange: where shapes are drawn; the engine never reads it. */
  private static final Set<String> DIAGRAM = Set.of("http://www.omg.org/spec/BPMN/20100524/DI",
      "http://www.omg.org/spec/DD/20100524/DC", "http://www.omg.org/spec/DD/20100524/DI");
  /** Attributes modellers add for colours and the target platform; the engine never reads them. */
  private static final Set<String> DECORATION = Set.of("http://bpmn.io/schema/bpmn/biocolor/1.0",
      "http://www.omg.org/spec/BPMN/non-normative/color/1.0", "http://camunda.org/schema/modeler/1.0");
  /** The one expression a timer may hold: the send window's, which Siyu writes in at deployment. */
  public static final String SEND_WINDOW_TIMER = "${sendWindow.opens(execution)}";
  private static final int MAX_DEPTH = 64;
  private static final int MAX_ELEMENTS = 20_000;

  /** BPMN elements a journey may hold: events, palette tasks, gateways, flows, messages, timers, notes and pools. */
  private static final Set<String> BPMN_ELEMENTS = Set.of("definitions", "process", "collaboration", "participant",
      "laneSet", "lane", "childLaneSet", "flowNodeRef", "startEvent", "endEvent", "intermediateCatchEvent",
      "intermediateThrowEvent", "boundaryEvent", "serviceTask", "receiveTask", "task", "subProcess", "exclusiveGateway",
      "parallelGateway", "eventBasedGateway", "inclusiveGateway", "sequenceFlow", "incoming", "outgoing",
      "conditionExpression", "messageEventDefinition", "timerEventDefinition", "timeDate", "timeDuration", "timeCycle",
      "terminateEventDefinition", "message", "documentation", "textAnnotation", "text", "association", "group",
      "category", "categoryValue", "extensionElements");
  /** Elements whose text is prose for people, never evaluated. */
  private static final Set<String> PROSE = Set.of("documentation", "text");
  /** Plain BPMN attributes (no namespace); notably not {@code language}, {@code scriptFormat} or {@code calledElement}. */
  private static final Set<String> BPMN_ATTRIBUTES = Set.of("id", "name", "sourceRef", "targetRef", "default",
      "isExecutable", "attachedToRef", "cancelActivity", "isInterrupting", "messageRef", "processRef", "eventGatewayType",
      "instantiate", "parallelMultiple", "gatewayDirection", "triggeredByEvent", "associationDirection", "textFormat",
      "categoryValueRef", "value", "targetNamespace", "exporter", "exporterVersion", "typeLanguage", "isClosed",
      "isForCompensation", "startQuantity", "completionQuantity");
  /** Plain BPMN attributes allowed only with the value the model writes by default (it adds them to every file it writes). */
  private static final Map<String, Set<String>> BPMN_DEFAULTS = Map.of(
      "expressionLanguage", Set.of("http://www.w3.org/1999/XPath"),
      "implementation", Set.of("##WebService", "##unspecified"),
      "processType", Set.of("None", "Private", "Public"));
  /** Camunda attributes that only steer transactions and history; {@code delegateExpression} is checked on its own. */
  private static final Set<String> CAMUNDA_ATTRIBUTES = Set.of("asyncBefore", "asyncAfter", "exclusive", "jobPriority",
      "historyTimeToLive", "versionTag", "isStartableInTasklist", "modelerTemplate", "modelerTemplateVersion");
  /** Camunda extension elements and the plain attributes each may carry. */
  private static final Map<String, Set<String>> CAMUNDA_ELEMENTS = Map.of(
      "properties", Set.of(), "property", Set.of("id", "name", "value"),
      "inputOutput", Set.of(), "inputParameter", Set.of("name"), "failedJobRetryTimeCycle", Set.of());

  private JourneyAllowList() {}

  /** Every problem of {@code xml}, each naming its element; empty when the file holds only what the palette writes. */
  public static List<JsonObject> check(String xml) {
    List<JsonObject> problems = new ArrayList<>();
    Element root;
    try {
      root = parse(xml);
    } catch (Exception e) {
      problems.add(ElementProblem.of("(file)", "not a well-formed XML file: " + e.getMessage()));
      return problems;
    }
    new Walk(problems).element(root, "(file)", 0);
    return problems;
  }

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setExpandEntityReferences(false);
    f.setXIncludeAware(false);
    DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(null);
    return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
  }

  /** One pass over the tree; {@code owner} is the id of the nearest BPMN element, which problems name. */
  private static final class Walk {
    private final List<JsonObject> problems;
    private int elements;

    Walk(List<JsonObject> problems) {
      this.problems = problems;
    }

    void element(Element e, String owner, int depth) {
      if (++elements > MAX_ELEMENTS || depth > MAX_DEPTH) {
        if (elements == MAX_ELEMENTS + 1 || depth == MAX_DEPTH + 1) {
          refuse("(file)", "a journey file holds at most " + MAX_ELEMENTS + " elements, nested at most " + MAX_DEPTH + " deep");
        }
        return;
      }
      String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
      String name = e.getLocalName();
      if (DIAGRAM.contains(ns)) {
        return; // shapes and edges: never evaluated
      }
      if (ns.equals(BPMN) && e.hasAttribute("id")) {
        owner = e.getAttribute("id");
      }
      if (!allowedElement(e, ns, name, owner)) {
        return; // its content is not looked at: the element itself is refused
      }
      attributes(e, ns, name, owner);
      boolean prose = ns.equals(BPMN) && PROSE.contains(name);
      for (Node child = e.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element c) {
          element(c, owner, depth + 1);
        } else if (!prose && (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE)) {
          text(e, ns, name, child.getNodeValue(), owner);
        }
      }
    }

    private boolean allowedElement(Element e, String ns, String name, String owner) {
      if (ns.equals(BPMN) && BPMN_ELEMENTS.contains(name)) {
        return true;
      }
      if (ns.equals(CAMUNDA) && CAMUNDA_ELEMENTS.containsKey(name)) {
        if (name.equals("inputOutput") || name.equals("inputParameter")) {
          Node task = ancestor(e, name.equals("inputOutput") ? 2 : 3);
          if (!(task instanceof Element t) || !isBpmn(t, "serviceTask")) {
            refuse(owner, "camunda:" + name + " is only written by the palette's tasks (service tasks)");
            return false;
          }
        }
        return true;
      }
      refuse(owner, (ns.equals(BPMN) ? "bpmn:" : ns.equals(CAMUNDA) ? "camunda:" : "{" + ns + "}") + name
          + " is not allowed in journeys: use the palette's elements (element templates)");
      return false;
    }

    private void attributes(Element e, String ns, String name, String owner) {
      NamedNodeMap attributes = e.getAttributes();
      for (int i = 0; i < attributes.getLength(); i++) {
        Attr a = (Attr) attributes.item(i);
        String ans = a.getNamespaceURI() == null ? "" : a.getNamespaceURI();
        String local = a.getLocalName() == null ? a.getName() : a.getLocalName();
        if (ans.equals(XMLConstants.XMLNS_ATTRIBUTE_NS_URI) || DECORATION.contains(ans)) {
          continue;
        }
        String problem = attributeProblem(e, ns, name, ans, local, a.getValue());
        if (problem != null) {
          refuse(owner, problem);
        }
      }
    }

    private String attributeProblem(Element e, String ns, String name, String ans, String local, String value) {
      if (ans.equals(CAMUNDA) && local.equals("delegateExpression") && isBpmn(e, "serviceTask")) {
        return JourneyAllowList.isBeanReference(value) ? null
            : "camunda:delegateExpression names one palette task, like ${sendMessage}";
      }
      boolean allowed = ans.isEmpty()
          ? (ns.equals(CAMUNDA) ? CAMUNDA_ELEMENTS.get(name).contains(local)
              : BPMN_ATTRIBUTES.contains(local) || BPMN_DEFAULTS.getOrDefault(local, Set.of()).contains(value))
          : ans.equals(CAMUNDA) ? CAMUNDA_ATTRIBUTES.contains(local)
          : ans.equals(XSI) && local.equals("type") && value.endsWith("tFormalExpression");
      String shown = (ans.equals(CAMUNDA) ? "camunda:" : ans.equals(XSI) ? "xsi:" : ans.isEmpty() ? "" : "{" + ans + "}") + local;
      if (!allowed) {
        return "attribute " + shown + " is not allowed in journeys";
      }
      return hasExpression(value) ? "expressions are not allowed in " + shown : null;
    }

    private void text(Element e, String ns, String name, String text, String owner) {
      if (ns.equals(BPMN) && name.equals("conditionExpression") && e.getParentNode() instanceof Element flow
          && isBpmn(flow, "sequenceFlow")) {
        if (!text.isBlank()) {
          try {
            FlowCondition.canonical(e.getTextContent());
          } catch (FlowCondition.Invalid invalid) {
            refuse(owner, "condition: " + invalid.getMessage());
          }
        }
        return;
      }
      if (!hasExpression(text)) {
        return;
      }
      if (ns.equals(BPMN) && name.equals("timeDate") && text.strip().equals(SEND_WINDOW_TIMER)) {
        return; // the send window's timer, as Siyu writes it
      }
      refuse(owner, "expressions are not allowed in " + (ns.equals(CAMUNDA) ? "camunda:" : "bpmn:") + name
          + (ns.equals(BPMN) && name.startsWith("time") ? " (write a fixed ISO 8601 date, duration or cycle)" : ""));
    }

    private void refuse(String owner, String problem) {
      JsonObject p = ElementProblem.of(owner, problem);
      if (!problems.contains(p)) {
        problems.add(p);
      }
    }
  }

  private static Node ancestor(Node n, int levels) {
    for (int i = 0; i < levels && n != null; i++) {
      n = n.getParentNode();
    }
    return n;
  }

  private static boolean isBpmn(Element e, String name) {
    return e != null && BPMN.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
  }

  /** Whether {@code value} is exactly {@code ${name}}: a bean reference and nothing else. */
  public static boolean isBeanReference(String value) {
    return value != null && value.strip().matches("\\$\\{\\s*[A-Za-z]+\\s*}");
  }

  static boolean hasExpression(String s) {
    return s != null && (s.contains("${") || s.contains("#{"));
  }
}
