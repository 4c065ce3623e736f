package io.siyu.journey.check;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.Expression;
import org.camunda.bpm.engine.impl.bpmn.behavior.BoundaryEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.CancelBoundaryEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.EventBasedGatewayActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.EventSubProcessActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.EventSubProcessStartEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.ExclusiveGatewayActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.InclusiveGatewayActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.IntermediateCatchEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.IntermediateThrowNoneEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.NoneEndEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.NoneStartEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.ParallelGatewayActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.ReceiveTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.ServiceTaskDelegateExpressionActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.SubProcessActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.TaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.behavior.TerminateEndEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.core.model.CoreModelElement;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.PvmTransition;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.pvm.process.TransitionImpl;
import org.camunda.bpm.engine.impl.scripting.ExecutableScript;
import org.camunda.bpm.engine.impl.scripting.ScriptFactory;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * The engine's own gate, behind {@link JourneyAllowList}: whatever deployment reaches the engine,
 * its activities may only behave as the palette's elements do (no Java classes, expressions,
 * external tasks, scripts, call activities or loops), and carry no execution listeners but Siyu's
 * built-in ones. Scripts cannot even be compiled ({@link #noScripts()}).
 */
public final class EngineGuard extends AbstractBpmnParseListener {
  private static final Set<Class<?>> BEHAVIOURS = Set.of(NoneStartEventActivityBehavior.class,
      NoneEndEventActivityBehavior.class, TerminateEndEventActivityBehavior.class,
      ServiceTaskDelegateExpressionActivityBehavior.class, TaskActivityBehavior.class, ReceiveTaskActivityBehavior.class,
      ExclusiveGatewayActivityBehavior.class, ParallelGatewayActivityBehavior.class, InclusiveGatewayActivityBehavior.class,
      EventBasedGatewayActivityBehavior.class, IntermediateCatchEventActivityBehavior.class,
      IntermediateThrowNoneEventActivityBehavior.class, BoundaryEventActivityBehavior.class,
      CancelBoundaryEventActivityBehavior.class, SubProcessActivityBehavior.class, EventSubProcessActivityBehavior.class,
      EventSubProcessStartEventActivityBehavior.class);

  @Override
  public void parseRootElement(Element rootElement, List<ProcessDefinitionEntity> processDefinitions) {
    for (ProcessDefinitionEntity definition : processDefinitions) {
      listeners(definition);
      scope(definition);
    }
  }

  private static void scope(ScopeImpl scope) {
    for (ActivityImpl activity : scope.getActivities()) {
      Object behaviour = activity.getActivityBehavior();
      if (behaviour != null && !BEHAVIOURS.contains(behaviour.getClass())) {
        throw refused(activity.getId(), "a " + behaviour.getClass().getSimpleName().replace("ActivityBehavior", "")
            + " is not allowed in journeys");
      }
      listeners(activity);
      for (PvmTransition t : activity.getOutgoingTransitions()) {
        listeners((TransitionImpl) t);
      }
      scope(activity);
    }
  }

  /** Listeners written in the file are the ones not registered as built in (history, Siyu's gateway listeners). */
  private static void listeners(CoreModelElement element) {
    for (Map.Entry<String, ? extends List<?>> e : element.getListeners().entrySet()) {
      List<?> builtIn = element.getBuiltInListeners().getOrDefault(e.getKey(), List.of());
      if (e.getValue().size() > builtIn.size()) {
        throw refused(element.getId(), "execution listeners are not allowed in journeys");
      }
    }
  }

  private static ProcessEngineException refused(String element, String problem) {
    return new ProcessEngineException("Journey element " + element + ": " + problem);
  }

  /** A script factory that compiles nothing: no script condition, listener or mapping can run. */
  public static ScriptFactory noScripts() {
    return new ScriptFactory() {
      @Override
      public ExecutableScript createScriptFromResource(String language, String resource) {
        throw refusedScript(language);
      }

      @Override
      public ExecutableScript createScriptFromResource(String language, Expression resource) {
        throw refusedScript(language);
      }

      @Override
      public ExecutableScript createScriptFromSource(String language, String source) {
        throw refusedScript(language);
      }

      @Override
      public ExecutableScript createScriptFromSource(String language, Expression source) {
        throw refusedScript(language);
      }
    };
  }

  private static ProcessEngineException refusedScript(String language) {
    return new ProcessEngineException("scripts (" + language + ") are not allowed in journeys");
  }
}
