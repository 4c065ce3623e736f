package io.siyu.template;

import io.siyu.outbox.Content;
import io.siyu.outbox.Touch;
import io.siyu.outbox.TouchRenderer;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * The dispatcher's render step on templates: a touch's template rendered for the channel it goes
 * out on, with its contact's data. Variables: {@code contact}; {@code journey} ({@code key},
 * {@code step}, {@code entry_key}); {@code event}, the event that started the entry, if any; and
 * whatever the touch's payload holds under {@code variables} (e.g. {@code right}, {@code coupon}).
 * The locale is the payload's {@code locale}, else the contact's, else zh-CN. A template that cannot render, or a
 * contact that is gone, is a {@link TouchRenderer.Failure}: trying again would not help.
 */
public final class TemplateTouchRenderer implements TouchRenderer {
  private final TemplateService templates;

  public TemplateTouchRenderer(TemplateService templates) {
    this.templates = templates;
  }

  @Override
  public Future<Content> render(Touch touch, UnaryOperator<String> links) {
    JsonObject payload = touch.payload() == null ? new JsonObject() : touch.payload();
    return templates.renderForContact(touch.contactId(), touch.templateKey(), touch.channel(),
            payload.getValue("locale") instanceof String locale ? locale : null, variables(touch, payload), links)
        .map(r -> new Content(r.subject(), r.html(), r.text(), r.version(), null))
        .recover(e -> Future.failedFuture(permanent(e) ? new TouchRenderer.Failure(e.getMessage()) : e));
  }

  private static JsonObject variables(Touch touch, JsonObject payload) {
    JsonObject variables = payload.getValue("variables") instanceof JsonObject given ? given.copy() : new JsonObject();
    variables.put("journey", new JsonObject().put("key", touch.journeyKey()).put("step", touch.activityId())
        .put("entry_key", payload.getValue("entry_key")));
    if (payload.getValue("trigger") instanceof JsonObject trigger) {
      variables.put("event", trigger);
    }
    return variables;
  }

  private static boolean permanent(Throwable e) {
    return e instanceof RenderException || e instanceof Problem p && p.status() == 404;
  }
}
