package io.siyu.journey;

import java.util.ArrayList;
import java.util.Collections;
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

  private final Supplier<RepositoryService> repository;
  private final Map<String, Map<String, List<String>>> byDefinition = new ConcurrentHashMap<>();

  GatewayWaits(Supplier<RepositoryService> repository) {
    this.repository = repository;
  }

  /** Blocking the first time a definition is asked for: the ids of the waits behind the gateway, sorted. */
  List<String> behind(String definitionId, String gatewayId) {
    return byDefinition.computeIfAbsent(definitionId, this::read).getOrDefault(gatewayId, List.of(gatewayId));
  }

  private Map<String, List<String>> read(String definitionId) {
    BpmnModelInstance model = repository.get().getBpmnModelInstance(definitionId);
    // by the flows' sourceRef: a gateway's own <outgoing> list is optional in BPMN, and often absent
    Map<String, List<String>> waits = new HashMap<>();
    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      if (flow.getSource() instanceof EventBasedGateway gateway) {
        waits.computeIfAbsent(gateway.getId(), g -> new ArrayList<>()).add(flow.getTarget().getId());
      }
    }
    waits.values().forEach(Collections::sort);
    return waits;
  }
}
