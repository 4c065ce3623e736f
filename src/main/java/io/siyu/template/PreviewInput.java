package io.siyu.template;

import io.siyu.locale.Locales;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A preview request, {@code {contact_id, channel, locale?, variables?}}, checked field by field. */
record PreviewInput(long contactId, String channel, String locale, JsonObject variables) {
  private static final Set<String> FIELDS = Set.of("contact_id", "channel", "locale", "variables");

  static PreviewInput of(JsonObject body) {
    JsonArray errors = new JsonArray();
    body.fieldNames().stream().filter(f -> !FIELDS.contains(f)).sorted()
        .forEach(f -> errors.add(Problem.fieldError(f, "is not a field of a preview")));
    Long id = io.siyu.web.JsonValues.positiveId(body.getValue("contact_id"));
    if (id == null) {
      errors.add(Problem.fieldError("contact_id", "must be a positive id"));
    }
    Object channel = body.getValue("channel");
    if (!(channel instanceof String c) || ChannelRules.of(c) == null) {
      errors.add(Problem.fieldError("channel", "must be one of " + String.join(", ", ChannelRules.channels())));
    }
    Object locale = body.getValue("locale");
    if (locale != null && (!(locale instanceof String l) || Locales.canonical(l) == null)) {
      errors.add(Problem.fieldError("locale", "must be a locale tag such as zh-CN or en"));
    }
    Object variables = body.getValue("variables");
    if (variables != null && !(variables instanceof JsonObject)) {
      errors.add(Problem.fieldError("variables", "must be an object, e.g. {\"coupon\": {\"code\": \"A1\"}}"));
    } else if (variables instanceof JsonObject v && v.containsKey("contact")) {
      errors.add(Problem.fieldError("variables.contact", "comes from contact_id and cannot be given"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new PreviewInput(id, (String) channel, (String) locale,
        variables == null ? new JsonObject() : (JsonObject) variables);
  }
}
