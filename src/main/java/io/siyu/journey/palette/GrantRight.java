package io.siyu.journey.palette;

import io.siyu.loyalty.rights.RightService;
import io.vertx.core.json.JsonObject;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Grant right: by catalogue code, keyed by the step so a retry never grants twice. A refusal (the
 * member's tier may not receive it, the stock is gone) is noted in {@code <step>_result} and the
 * journey goes on; a gateway may branch on it.
 */
public final class GrantRight extends PaletteTask {
  private final RightService rights;

  public GrantRight(RightService rights) {
    this.rights = rights;
  }

  @Override
  public void execute(DelegateExecution execution) {
    JsonObject body = new JsonObject().put("right", input(execution, "right")).put("grant_key", stepKey(execution));
    if (input(execution, "reason") != null) {
      body.put("reason", input(execution, "reason"));
    }
    String result;
    try {
      RightService.Granted granted = await(rights.grant(contactId(execution), body, actor(execution)));
      execution.setVariable("grantId", granted.grant().getLong("id"));
      result = "granted";
    } catch (RuntimeException e) {
      if (!isRefusal(e)) {
        throw e;
      }
      result = ((io.siyu.web.Problem) e).slug();
    }
    execution.setVariable(execution.getCurrentActivityId() + "_result", result);
  }
}
