package io.siyu.journey.palette;

import io.siyu.event.EventService;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Award growth: a {@code growth.awarded} event through event ingestion (id = the step key), so the
 * growth ledger records its cause, a tier upgrade follows at once, and a retry stores nothing new.
 */
public final class AwardGrowth extends PaletteTask {
  private final EventService events;

  public AwardGrowth(EventService events) {
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    JsonObject properties = new JsonObject().put("growth", Integer.parseInt(input(execution, "growth")))
        .put("journey", journeyKey(execution));
    if (input(execution, "reason") != null) {
      properties.put("reason", input(execution, "reason"));
    }
    JsonObject event = new JsonObject().put("id", stepKey(execution)).put("type", "growth.awarded")
        .put("contact_id", contactId(execution)).put("properties", properties).put("source", "journey");
    await(events.ingest(List.of(event), false));
  }
}
