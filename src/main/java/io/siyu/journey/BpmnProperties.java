package io.siyu.journey;

import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * Siyu's markers on a BPMN element ({@code camunda:property} entries such as {@code siyu.event} or
 * {@code siyu.split}), read the same way when a file is checked and while it runs.
 */
final class BpmnProperties {
  private BpmnProperties() {}

  /** The {@code camunda:property} entries of an element. */
  static Map<String, String> of(BaseElement element) {
    Map<String, String> out = new LinkedHashMap<>();
    if (element.getExtensionElements() == null) {
      return out;
    }
    for (ModelElementInstance x : element.getExtensionElements().getElementsQuery().filterByType(CamundaProperties.class).list()) {
      for (CamundaProperty p : ((CamundaProperties) x).getCamundaProperties()) {
        if (p.getCamundaName() != null) {
          out.put(p.getCamundaName(), p.getCamundaValue() == null ? "" : p.getCamundaValue());
        }
      }
    }
    return out;
  }
}
