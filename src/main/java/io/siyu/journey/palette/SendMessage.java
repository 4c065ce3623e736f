package io.siyu.journey.palette;

import io.siyu.journey.EngineSql;
import io.siyu.outbox.Outbox;
import io.siyu.outbox.TouchRequest;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;

/**
 * Send message: writes a touch to the outbox on the engine's own connection, so the touch commits
 * exactly when the step does (a rolled-back step leaves no touch, a retried one writes it again
 * under the same key). The key is the process instance and the activity instance: a loop that
 * passes the step twice sends twice, a retry of one pass does not. The dispatcher is woken once
 * the transaction has committed.
 */
public final class SendMessage extends PaletteTask {
  private final Runnable wakeDispatcher;
  private final String defaultChannel;

  /** {@code defaultChannel} stands in for "preferred" until contacts carry channel preferences. */
  public SendMessage(Runnable wakeDispatcher, String defaultChannel) {
    this.wakeDispatcher = wakeDispatcher;
    this.defaultChannel = defaultChannel;
  }

  @Override
  public void execute(DelegateExecution execution) throws SQLException {
    String asked = input(execution, "channel");
    String channel = asked == null || asked.equals("preferred") ? defaultChannel : asked;
    JsonObject payload = new JsonObject()
        .put("kind", input(execution, "kind") == null ? "marketing" : input(execution, "kind"))
        .put("entry_key", execution.getVariable("entryKey"));
    Object trigger = execution.getVariable("triggerEvent");
    if (trigger != null) {
      payload.put("trigger", new JsonObject(trigger.toString()));
    }
    String key = "journey:" + execution.getProcessInstanceId() + ":" + execution.getActivityInstanceId();
    Outbox.enqueue(EngineSql.connection(),
        new TouchRequest(key, contactId(execution), journeyKey(execution), execution.getProcessInstanceId(),
            execution.getCurrentActivityId(), channel, input(execution, "template"), payload.encode()));
    Context.getCommandContext().getTransactionContext()
        .addTransactionListener(TransactionState.COMMITTED, ctx -> wakeDispatcher.run());
  }
}
