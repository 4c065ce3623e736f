package io.siyu.journey.palette;

import io.siyu.journey.step.EngineSql;
import io.siyu.outbox.Outbox;
import io.siyu.outbox.TouchRequest;
import io.siyu.wecom.api.WelcomeMessage;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * Send message: writes a touch to the outbox on the engine's own connection, so the touch commits
 * exactly when the step does (a rolled-back step leaves no touch, a retried one writes it again
 * under the same key). The key is the process instance and the activity instance: a loop that
 * passes the step twice sends twice, a retry of one pass does not. The dispatcher is woken once
 * the transaction has committed.
 *
 * <p>An entry triggered by a WeCom add ({@code wecom.contact_added} and the like) carries WeCom's
 * {@code welcome_code}: the first send of the entry that runs while the code is still good takes it
 * into its payload (with {@code welcome_code_at}), which makes the touch the welcome message (欢迎语),
 * sent ahead of the queue; "preferred" then means WeCom, the only channel the code is good for. The
 * code is accepted once, so later sends of the entry, and a send that runs too late, are ordinary
 * messages.
 */
public final class SendMessage extends PaletteTask {
  /** The process variable naming the step that took the entry's welcome code. */
  static final String WELCOME_CODE_TAKEN = "welcomeCodeTakenBy";
  private static final String WELCOME_CHANNEL = "wecom";
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
    JsonObject payload = new JsonObject()
        .put("kind", input(execution, "kind") == null ? "marketing" : input(execution, "kind"))
        .put("entry_key", execution.getVariable("entryKey"));
    Object trigger = execution.getVariable("triggerEvent");
    if (trigger != null) {
      payload.put("trigger", new JsonObject(trigger.toString()));
    }
    boolean welcome = takeWelcomeCode(execution, payload.getJsonObject("trigger"), payload);
    String channel = asked == null || asked.equals("preferred") ? (welcome ? WELCOME_CHANNEL : defaultChannel) : asked;
    String key = "journey:" + execution.getProcessInstanceId() + ":" + execution.getActivityInstanceId();
    Outbox.enqueue(EngineSql.connection(),
        new TouchRequest(key, contactId(execution), journeyKey(execution), execution.getProcessInstanceId(),
            execution.getCurrentActivityId(), channel, input(execution, "template"), payload.encode()));
    Context.getCommandContext().getTransactionContext()
        .addTransactionListener(TransactionState.COMMITTED, ctx -> wakeDispatcher.run());
  }

  /**
   * Puts the triggering add's welcome code into {@code payload} when no earlier send of this entry
   * took it and it is still within WeCom's validity (on the engine's clock); answers whether it did.
   */
  private static boolean takeWelcomeCode(DelegateExecution execution, JsonObject trigger, JsonObject payload) {
    String code = trigger == null ? null : trigger.getString("welcome_code");
    String receivedAt = trigger == null ? null : trigger.getString("welcome_code_at");
    if (code == null || receivedAt == null || execution.getVariable(WELCOME_CODE_TAKEN) != null) {
      return false;
    }
    Instant validUntil;
    try {
      validUntil = Instant.parse(receivedAt).plus(WelcomeMessage.CODE_VALIDITY);
    } catch (DateTimeParseException e) {
      return false;
    }
    if (!ClockUtil.getCurrentTime().toInstant().isBefore(validUntil)) {
      return false;
    }
    payload.put("welcome_code", code).put("welcome_code_at", receivedAt);
    // on the instance, where every later step of the entry looks
    execution.getProcessInstance().setVariable(WELCOME_CODE_TAKEN, execution.getCurrentActivityId());
    return true;
  }
}
