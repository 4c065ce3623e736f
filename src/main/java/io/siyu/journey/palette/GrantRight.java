package io.siyu.journey.palette;

import io.siyu.journey.step.EngineSql;
import io.siyu.loyalty.rights.RightService;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Grant right: by catalogue code, in the step's own transaction (the grant, its stock and its
 * {@code right.granted} event commit exactly when the step does), keyed by the step so a retry
 * never grants twice. A refusal (the member's tier may not receive it, the stock is gone) is
 * noted in {@code <step>_result} and the journey goes on; a gateway may branch on it.
 */
public final class GrantRight extends PaletteTask {
  @Override
  public void execute(DelegateExecution execution) throws SQLException {
    JsonObject body = new JsonObject().put("right", input(execution, "right")).put("grant_key", stepKey(execution));
    if (input(execution, "reason") != null) {
      body.put("reason", input(execution, "reason"));
    }
    String result;
    try {
      long grantId = RightService.grant(EngineSql.connection(), contactId(execution), body, actor(execution));
      execution.setVariable("grantId", grantId);
      result = "granted";
    } catch (RuntimeException e) {
      if (!isRefusal(e)) {
        throw e;
      }
      result = ((Problem) e).slug();
    }
    execution.setVariable(execution.getCurrentActivityId() + "_result", result);
  }
}
