package io.siyu.journey;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Every exclusive gateway gets the contact's current data before its conditions are evaluated,
 * and an A/B split (a gateway marked {@code siyu.split}) its branch: both as built-in start
 * listeners, so no journey file has to wire them.
 */
final class GatewayListeners extends AbstractBpmnParseListener {
  private final Contacts contacts;
  private final Split split = new Split();

  GatewayListeners(Contacts contacts) {
    this.contacts = contacts;
  }

  @Override
  public void parseExclusiveGateway(Element element, ScopeImpl scope, ActivityImpl activity) {
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, contacts);
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, split);
  }
}
