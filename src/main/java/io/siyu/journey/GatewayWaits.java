package io.siyu.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;

/**
 * The waits an event-based gateway holds a contact in: the catch events its flows lead to. The
 * engine's history shows such a contact as an open activity of the gateway alone (a wait behind
 * it begins only when its event comes), and the event subscriptions it holds cannot be told from
 * those of an event subprocess's start; the deployed model can. Read once per process definition,
 * which never changes.
 */
final class GatewayWaits {
  static final String TYPE = "eventBasedGateway";

  /** A wait behind a gateway: its id and its name (null when it has none). */
  record Wait(String id, String name) {}

  private final Supplier<RepositoryService> repository;
  private final Map<String, Map<String, List<Wait>>> byDefinition = new ConcurrentHashMap<>();

  GatewayWaits(Supplier<RepositoryService> repository) {
    this.repository = repository;
  }

  /** Blocking the first time a definition is asked for: the waits behind the gateway, by id. */
  List<Wait> behind(String definitionId, String gatewayId, String gatewayName) {
    return byDefinition.computeIfAbsent(definitionId, this::read).getOrDefault(gatewayId, List.of(new Wait(gatewayId, gatewayName)));
  }

  private Map<String, List<Wait>> read(String definitionId) {
    BpmnModelInstance model = repository.get().getBpmnModelInstance(definitionId);
    // by the flows' sourceRef: a gateway's own <outgoing> list is optional in BPMN, and often absent
    Map<String, List<Wait>> waits = new HashMap<>();
    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      if (flow.getSource() instanceof EventBasedGateway gateway) {
        waits.computeIfAbsent(gateway.getId(), g -> new ArrayList<>()).add(new Wait(flow.getTarget().getId(), flow.getTarget().getName()));
      }
    }
    waits.values().forEach(list -> list.sort(java.util.Comparator.comparing(Wait::id)));
    return waits;
  }
}
