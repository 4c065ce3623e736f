package io.siyu.journey;

import io.siyu.journey.check.SafeExpressionManager;
import io.siyu.journey.palette.Palette;
import io.siyu.journey.step.Journeys;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.model.bpmn.instance.BaseElement;

/**
 * The contact's allowed hours (default 09:00–21:00 in the contact's own time zone). A send-window
 * wait's timer is set to {@link #opens}: now when inside the window, otherwise the next opening.
 * Time comes from the engine's clock, so tests move it instead of waiting.
 */
public final class SendWindow {
  /** An allowed window of local times, start inclusive, end exclusive. */
  public record Window(LocalTime start, LocalTime end) {}

  /** The one call the engine's expressions may make on this bean: the send window's timer. */
  static final SafeExpressionManager.AllowedCall<SendWindow> CALL = new SafeExpressionManager.AllowedCall<>(
      SendWindow.class, "opens", 1, (window, args) -> window.opens((DelegateExecution) args[0]));

  private final Window defaults;
  private final Contacts contacts;

  public SendWindow(Window defaults, Contacts contacts) {
    this.defaults = defaults;
    this.contacts = contacts;
  }

  /** Called by the engine from a timer expression: {@code ${sendWindow.opens(execution)}}. */
  public Date opens(DelegateExecution execution) {
    String spec = BpmnProperties.of((BaseElement) execution.getBpmnModelElementInstance()).get(Palette.WINDOW);
    Window window = spec == null || spec.isBlank() ? defaults : parse(spec);
    ZoneId zone = contacts.zone(Journeys.contactId(execution));
    return Date.from(next(ClockUtil.getCurrentTime().toInstant().atZone(zone), window).toInstant());
  }

  /** {@code at} itself when it falls inside the window, else the window's next start. */
  static ZonedDateTime next(ZonedDateTime at, Window w) {
    LocalTime t = at.toLocalTime();
    if (!t.isBefore(w.start()) && t.isBefore(w.end())) {
      return at;
    }
    LocalDate day = t.isBefore(w.start()) ? at.toLocalDate() : at.toLocalDate().plusDays(1);
    return day.atTime(w.start()).atZone(at.getZone());
  }

  /** "09:00-21:00" or null. */
  public static Window parse(String spec) {
    String[] parts = spec.trim().split("\\s*-\\s*");
    try {
      Window w = new Window(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
      return parts.length == 2 && w.start().isBefore(w.end()) ? w : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
