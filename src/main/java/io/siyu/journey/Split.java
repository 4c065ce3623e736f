package io.siyu.journey;

import io.siyu.journey.check.FlowCondition;
import io.siyu.journey.palette.Palette;
import io.siyu.journey.step.Journeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.instance.BaseElement;

/**
 * A/B split with holdout: {@code siyu.split=A:45,B:45,control:10} on an exclusive gateway. The
 * branch is a pure function of contact, journey and gateway, so a contact always lands in the same
 * branch (a replay or a second entry never switches it), and the control branch is simply a path
 * without sends, which makes the lift measurable. The choice is stored on the journey entry.
 */
public final class Split implements ExecutionListener {
  /** Branch name → percent, in order; null unless the names are plain and the percentages whole and adding up to 100. */
  public static Map<String, Integer> parse(String spec) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int total = 0;
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("\\s*:\\s*");
      if (kv.length != 2 || !FlowCondition.isBranchName(kv[0]) || out.containsKey(kv[0])) {
        return null;
      }
      try {
        int pct = Integer.parseInt(kv[1]);
        if (pct < 0) {
          return null;
        }
        out.put(kv[0], pct);
        total += pct;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return total == 100 && !out.isEmpty() ? out : null;
  }

  /** The condition of the flow out of a split that takes contacts of {@code branch} (a name {@link #parse} accepted). */
  static String condition(String branch) {
    try {
      return FlowCondition.branchIs(branch);
    } catch (FlowCondition.Invalid e) {
      throw new IllegalArgumentException("not a branch name: " + branch, e);
    }
  }

  /** The branch for a contact: a bucket 0..99 from a hash of contact, journey and gateway, walked over the percentages. */
  static String choose(Map<String, Integer> branches, long contactId, String journey, String gateway) {
    int bucket = bucket(contactId + "/" + journey + "/" + gateway);
    int upTo = 0;
    String last = null;
    for (Map.Entry<String, Integer> b : branches.entrySet()) {
      upTo += b.getValue();
      last = b.getKey();
      if (bucket < upTo) {
        return b.getKey();
      }
    }
    return last;
  }

  static int bucket(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return (int) (v % 100);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void notify(DelegateExecution execution) {
    String spec = BpmnProperties.of((BaseElement) execution.getBpmnModelElementInstance()).get(Palette.SPLIT);
    if (spec == null) {
      return;
    }
    String journey = Journeys.journeyKey(execution);
    String branch = choose(parse(spec), Journeys.contactId(execution), journey, execution.getCurrentActivityId());
    execution.setVariable(FlowCondition.BRANCH, Variables.stringValue(branch, true));
    Journeys.recordBranch(execution, branch);
  }
}
