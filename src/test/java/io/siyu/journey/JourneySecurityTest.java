package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A journey file is data, never code: every place where the engine would evaluate an expression,
 * run a script or load a class is refused at deployment with the element named, and the engine's
 * expression manager refuses reflection even in a file that reached it some other way.
 */
class JourneySecurityTest {
  private static final Api api = TestSiyu.admin();
  /** What every payload below would do if it ran: set a JVM-wide property the test can see. */
  private static final String PWN = "execution.getClass().forName('java.lang.System').getMethod('setProperty', "
      + "''.getClass(), ''.getClass()).invoke(null, 'siyu.pwned', 'yes')";
  private static final String EVIL = "${" + PWN + "}";
  private static final String XSI = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"bpmn:tFormalExpression\"";

  private static String tag(String id, String next, String extraAttributes, String extraExtensions) {
    return "<bpmn:serviceTask id=\"" + id + "\" camunda:delegateExpression=\"${addTag}\" " + extraAttributes + ">"
        + "<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name=\"tagGroup\">客户阶段</camunda:inputParameter>"
        + "<camunda:inputParameter name=\"tag\">x</camunda:inputParameter></camunda:inputOutput>" + extraExtensions
        + "</bpmn:extensionElements></bpmn:serviceTask>"
        + "<bpmn:sequenceFlow id=\"after_" + id + "\" sourceRef=\"" + id + "\" targetRef=\"" + next + "\" />";
  }

  private static final String END = "<bpmn:endEvent id=\"end\" />";

  /** An award-points step "evil" whose points input holds {@code content}, then the end. */
  private static String points(String content) {
    return "<bpmn:serviceTask id=\"evil\" camunda:delegateExpression=\"${awardPoints}\"><bpmn:extensionElements>"
        + "<camunda:inputOutput><camunda:inputParameter name=\"points\">" + content + "</camunda:inputParameter>"
        + "</camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>"
        + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END;
  }

  /** Each injection point: a name, the element the refusal must name, the element to start at, the body. */
  static Stream<Arguments> injections() {
    return Stream.of(
        Arguments.of("execution listener expression", "evil", "evil",
            "<bpmn:endEvent id=\"evil\"><bpmn:extensionElements><camunda:executionListener event=\"start\" expression=\""
                + EVIL + "\" /></bpmn:extensionElements></bpmn:endEvent>"),
        Arguments.of("execution listener naming a palette bean", "evil", "evil",
            "<bpmn:endEvent id=\"evil\"><bpmn:extensionElements><camunda:executionListener event=\"start\" "
                + "delegateExpression=\"${addTag}\" /></bpmn:extensionElements></bpmn:endEvent>"),
        Arguments.of("task listener", "evil", "evil", tag("evil", "end", "",
            "<camunda:taskListener event=\"create\" expression=\"" + EVIL + "\" />") + END),
        Arguments.of("sequence flow condition", "evil", "g",
            "<bpmn:exclusiveGateway id=\"g\" default=\"plain\" />"
                + "<bpmn:sequenceFlow id=\"evil\" sourceRef=\"g\" targetRef=\"end\"><bpmn:conditionExpression " + XSI + ">"
                + EVIL + "</bpmn:conditionExpression></bpmn:sequenceFlow>"
                + "<bpmn:sequenceFlow id=\"plain\" sourceRef=\"g\" targetRef=\"end\" />" + END),
        Arguments.of("condition hidden in a method on contact data", "evil", "g",
            "<bpmn:exclusiveGateway id=\"g\" default=\"plain\" />"
                + "<bpmn:sequenceFlow id=\"evil\" sourceRef=\"g\" targetRef=\"end\"><bpmn:conditionExpression " + XSI + ">"
                + "${contact.tier.getClass().forName('java.lang.Runtime') != null}</bpmn:conditionExpression></bpmn:sequenceFlow>"
                + "<bpmn:sequenceFlow id=\"plain\" sourceRef=\"g\" targetRef=\"end\" />" + END),
        Arguments.of("script condition", "evil", "g",
            "<bpmn:exclusiveGateway id=\"g\" default=\"plain\" />"
                + "<bpmn:sequenceFlow id=\"evil\" sourceRef=\"g\" targetRef=\"end\"><bpmn:conditionExpression " + XSI
                + " language=\"javascript\">java.lang.System.setProperty('siyu.pwned', 'yes')</bpmn:conditionExpression>"
                + "</bpmn:sequenceFlow><bpmn:sequenceFlow id=\"plain\" sourceRef=\"g\" targetRef=\"end\" />" + END),
        Arguments.of("input parameter expression", "evil", "evil", points(EVIL)),
        Arguments.of("input parameter script", "evil", "evil",
            points("<camunda:script scriptFormat=\"javascript\">1</camunda:script>")),
        Arguments.of("output parameter", "evil", "evil", tag("evil", "end", "",
            "<camunda:inputOutput><camunda:outputParameter name=\"x\">" + EVIL + "</camunda:outputParameter></camunda:inputOutput>") + END),
        Arguments.of("delegate expression that is not a palette bean", "evil", "evil",
            "<bpmn:serviceTask id=\"evil\" camunda:delegateExpression=\"" + EVIL + "\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("camunda:expression on a task", "evil", "evil",
            "<bpmn:serviceTask id=\"evil\" camunda:expression=\"" + EVIL + "\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("expression beside a palette bean", "evil", "evil", tag("evil", "end", "camunda:expression=\"" + EVIL + "\"", "") + END),
        Arguments.of("external task", "evil", "evil",
            "<bpmn:serviceTask id=\"evil\" camunda:type=\"external\" camunda:topic=\"x\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("java class", "evil", "evil",
            "<bpmn:serviceTask id=\"evil\" camunda:class=\"java.lang.Object\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("script task", "evil", "evil",
            "<bpmn:scriptTask id=\"evil\" scriptFormat=\"javascript\"><bpmn:script>1</bpmn:script></bpmn:scriptTask>"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("timer expression", "evil", "evil",
            "<bpmn:intermediateCatchEvent id=\"evil\"><bpmn:timerEventDefinition><bpmn:timeDuration " + XSI + ">" + EVIL
                + "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("message name expression", "evilMessage", "wait",
            "<bpmn:receiveTask id=\"wait\" messageRef=\"evilMessage\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"wait\" targetRef=\"end\" />" + END),
        Arguments.of("conditional event", "evil", "evil",
            "<bpmn:intermediateCatchEvent id=\"evil\"><bpmn:conditionalEventDefinition><bpmn:condition " + XSI + ">" + EVIL
                + "</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("multi-instance cardinality", "evil", "evil",
            "<bpmn:serviceTask id=\"evil\" camunda:delegateExpression=\"${addTag}\"><bpmn:extensionElements><camunda:inputOutput>"
                + "<camunda:inputParameter name=\"tagGroup\">客户阶段</camunda:inputParameter><camunda:inputParameter name=\"tag\">x"
                + "</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics>"
                + "<bpmn:loopCardinality " + XSI + ">" + EVIL + "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>"
                + "</bpmn:serviceTask><bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("field injection", "evil", "evil", tag("evil", "end", "",
            "<camunda:field name=\"x\"><camunda:expression>" + EVIL + "</camunda:expression></camunda:field>") + END),
        Arguments.of("job priority expression", "evil", "evil", tag("evil", "end", "camunda:jobPriority=\"" + EVIL + "\"", "") + END),
        Arguments.of("call activity", "evil", "evil",
            "<bpmn:callActivity id=\"evil\" calledElement=\"" + EVIL + "\" />"
                + "<bpmn:sequenceFlow id=\"s1\" sourceRef=\"evil\" targetRef=\"end\" />" + END),
        Arguments.of("A/B branch name that would close the generated condition", "split", "split",
            "<bpmn:exclusiveGateway id=\"split\"><bpmn:extensionElements><camunda:properties>"
                + "<camunda:property name=\"siyu.split\" value=\"A:50,B' or true or 'x:50\" /></camunda:properties>"
                + "</bpmn:extensionElements></bpmn:exclusiveGateway>"
                + "<bpmn:sequenceFlow id=\"toA\" name=\"A\" sourceRef=\"split\" targetRef=\"end\" />"
                + "<bpmn:sequenceFlow id=\"toB\" name=\"B' or true or 'x\" sourceRef=\"split\" targetRef=\"end\" />" + END));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injections")
  void everyInjectionPointIsRefusedNamingItsElement(String what, String element, String first, String body) {
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key, JourneyDeployTest.manual(), first, body);
    if (what.startsWith("message name")) {
      xml = xml.replace("</bpmn:process>", "</bpmn:process><bpmn:message id=\"evilMessage\" name=\"" + EVIL + "\" />");
    }
    Reply r = JourneyDeployTest.deploy(api, xml);
    assertEquals(422, r.status(), what + ": " + r);
    assertEquals("application/problem+json", r.contentType());
    JsonArray problems = r.json().getJsonArray("problems");
    assertTrue(problems.stream().anyMatch(p -> element.equals(((JsonObject) p).getString("element"))),
        what + ": no problem names " + element + ": " + problems.encodePrettily());
    // validating (which also runs the engine's parse) refuses it the same way, before the engine sees it
    Reply validated = JourneyValidateTest.validate(api, xml);
    assertEquals(422, validated.status(), what + " (validate): " + validated);
    assertEquals(problems, validated.json().getJsonArray("problems"), what + ": validate names the same problems");
    assertEquals(404, api.get("/api/v1/journeys/" + key).status(), what);
  }

  @Test
  void theShellCommandOfTheReportDoesNotRun() {
    String key = JourneyDeployTest.key();
    Reply r = JourneyDeployTest.deploy(api, JourneyDeployTest.journey(key, JourneyDeployTest.manual(), "evil",
        "<bpmn:endEvent id=\"evil\"><bpmn:extensionElements><camunda:executionListener event=\"start\" expression=\"" + EVIL
            + "\" /></bpmn:extensionElements></bpmn:endEvent>"));
    assertEquals(422, r.status(), r.toString());
    long contact = api.post("/api/v1/contacts", new JsonObject().put("external_userid", "pwn-" + key)).json().getLong("id");
    api.post("/api/v1/journeys/" + key + "/start", new JsonObject().put("contact_id", contact));
    assertNull(System.getProperty("siyu.pwned"), "the listener ran");
  }

  /** A file deployed straight into the engine (as if it had slipped past the check): nothing of it runs. */
  @Test
  void theEngineRefusesReflectionInAFileThatSlippedThrough() {
    ProcessEngine engine = TestSiyu.get().services().journeys().engine().engine();
    String key = JourneyDeployTest.key();
    String xml = JourneyDeployTest.journey(key, "", "g",
        "<bpmn:inclusiveGateway id=\"g\" />"
            + "<bpmn:sequenceFlow id=\"evil\" sourceRef=\"g\" targetRef=\"end\"><bpmn:conditionExpression " + XSI + ">"
            + "${" + PWN + " == null}</bpmn:conditionExpression></bpmn:sequenceFlow>" + END);
    assertRefused(engine, key, xml);
    String beanKey = JourneyDeployTest.key();
    assertRefused(engine, beanKey, JourneyDeployTest.journey(beanKey, "", "end",
        "<bpmn:endEvent id=\"end\"><bpmn:extensionElements><camunda:executionListener event=\"start\" expression=\""
            + "${sendWindow.getClass().forName('java.lang.System').getMethod('setProperty', ''.getClass(), ''.getClass())"
            + ".invoke(null, 'siyu.pwned', 'yes')}\" /></bpmn:extensionElements></bpmn:endEvent>"));
  }

  private static void assertRefused(ProcessEngine engine, String key, String xml) {
    RuntimeException refused = null;
    try {
      engine.getRepositoryService().createDeployment().name(key).addString(key + ".bpmn", xml).deploy();
      engine.getRuntimeService().startProcessInstanceByKey(key, "1:test");
    } catch (RuntimeException e) {
      refused = e;
    }
    assertNull(System.getProperty("siyu.pwned"), "the expression reached reflection");
    assertNotNull(refused, "the engine ran the process");
    assertTrue(String.valueOf(messages(refused)).contains("not allowed"), messages(refused));
  }

  private static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
    }
    return out.toString();
  }
}
