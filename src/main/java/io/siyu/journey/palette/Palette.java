package io.siyu.journey.palette;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task types a journey may use, once: the service-task delegates (by the bean name their
 * {@code camunda:delegateExpression} names) with their input fields, and the markers Siyu reads
 * from {@code camunda:property} extension properties. Deployment validation, the engine's beans
 * and the element templates in {@code bpmn/element-templates/} all follow this table.
 */
public final class Palette {
  private Palette() {}

  /** One service-task type: required and optional inputs ({@code camunda:inputParameter} names). */
  public record TaskType(String bean, Set<String> required, Set<String> optional) {}

  public static final Map<String, TaskType> TASKS = Map.ofEntries(
      task("sendMessage", Set.of("template"), Set.of("channel", "kind")),
      task("addTag", Set.of("tagGroup", "tag"), Set.of()),
      task("removeTag", Set.of("tagGroup", "tag"), Set.of()),
      task("grantRight", Set.of("right"), Set.of("reason")),
      task("awardPoints", Set.of("points"), Set.of("reason")),
      task("awardGrowth", Set.of("growth"), Set.of("reason")),
      task("setAttribute", Set.of("attribute", "value"), Set.of()),
      task("setLifecycleStage", Set.of("stage"), Set.of()),
      task("goalReached", Set.of(), Set.of("goal")));

  private static Map.Entry<String, TaskType> task(String bean, Set<String> required, Set<String> optional) {
    return Map.entry(bean, new TaskType(bean, required, optional));
  }

  /** Marker properties: {@code siyu.event} on waits and exits, {@code siyu.task} on the send window, {@code siyu.split} on A/B gateways. */
  public static final String EVENT = "siyu.event";
  /** On a wait or exit: the properties the event must carry, as JSON ({@code {"right_code":"birthday"}}). */
  public static final String MATCH = "siyu.match";
  public static final String TASK = "siyu.task";
  public static final String SEND_WINDOW = "sendWindow";
  public static final String WINDOW = "siyu.window";
  public static final String SPLIT = "siyu.split";
  /** Every marker property above. */
  public static final Set<String> MARKERS = Set.of(EVENT, MATCH, TASK, WINDOW, SPLIT);

  /** Channels a send step may name; {@code preferred} lets the dispatcher pick the contact's. */
  public static final List<String> CHANNELS = List.of("preferred", "wecom", "sms", "email", "webhook", "log");

  public static final List<String> STAGES = List.of("new", "growing", "mature", "dormant", "churned");

  /** The expression a send-window wait's timer gets at deployment. */
  public static String sendWindowExpression() {
    return io.siyu.journey.check.JourneyAllowList.SEND_WINDOW_TIMER;
  }
}
