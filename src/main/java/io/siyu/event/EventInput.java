package io.siyu.event;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.contact.ContactInput;
import io.siyu.problem.Problem;
import io.siyu.web.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One member event as posted, validated. {@code prefix} names where it sits in the request
 * ({@code ""} for a single event, {@code events[3].} in a batch), so errors point at the field.
 */
public record EventInput(String key, String type, OffsetDateTime occurredAt, Long contactId,
    ContactInput contact, BigDecimal amount, JsonObject properties, String source) {

  public static final Pattern TYPE = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$");
  public static final String PURCHASE = "purchase";
  private static final Set<String> FIELDS = Set.of("id", "type", "occurred_at", "contact_id", "contact", "amount",
      "properties", "source");
  private static final int MAX_PROPERTIES_BYTES = 16 * 1024;
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

  static EventInput parse(Object raw, String prefix, Map<String, AttributeDefinition> catalog, String countryCode,
      JsonArray errors) {
    if (!(raw instanceof JsonObject e)) {
      errors.add(Problem.fieldError(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "must be an event object"));
      return null;
    }
    int before = errors.size();
    for (String k : e.fieldNames()) {
      if (!FIELDS.contains(k)) {
        errors.add(Problem.fieldError(prefix + k, "is not an event field"));
      }
    }
    String key = JsonValues.key(e.getValue("id"), prefix + "id", 200, errors);
    String type = string(e, "type", 100, prefix, errors);
    if (type != null && !TYPE.matcher(type).matches()) {
      errors.add(Problem.fieldError(prefix + "type", "must be lowercase words joined by dots, like member.registered"));
    }
    OffsetDateTime at = occurredAt(e.getValue("occurred_at"), prefix, errors);
    Long contactId = null;
    ContactInput contact = null;
    if (e.containsKey("contact_id") == e.containsKey("contact")) {
      errors.add(Problem.fieldError(prefix + "contact", "send exactly one of contact_id or contact"));
    } else if (e.containsKey("contact_id")) {
      contactId = JsonValues.positiveId(e.getValue("contact_id"));
      if (contactId == null) {
        errors.add(Problem.fieldError(prefix + "contact_id", "must be a positive id"));
      }
    } else {
      contact = contact(e.getValue("contact"), prefix, catalog, countryCode, errors);
    }
    BigDecimal amount = amount(e.getValue("amount"), PURCHASE.equals(type), prefix, errors);
    JsonObject properties = properties(e.getValue("properties"), prefix, errors);
    String source = e.getValue("source") == null ? null : string(e, "source", 100, prefix, errors);
    return errors.size() > before ? null
        : new EventInput(key, type, at, contactId, contact, amount, properties, source);
  }

  private static String string(JsonObject e, String field, int max, String prefix, JsonArray errors) {
    if (!(e.getValue(field) instanceof String s) || s.isBlank() || s.length() > max) {
      errors.add(Problem.fieldError(prefix + field, "is required, 1 to " + max + " characters"));
      return null;
    }
    return s;
  }

  private static OffsetDateTime occurredAt(Object v, String prefix, JsonArray errors) {
    if (v == null) {
      return OffsetDateTime.now();
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse((String) v);
      // a little clock skew is normal; an event from next week is a bug on the sender's side
      if (t.isAfter(OffsetDateTime.now().plusHours(1))) {
        errors.add(Problem.fieldError(prefix + "occurred_at", "is more than an hour in the future"));
      }
      return t;
    } catch (ClassCastException | DateTimeParseException ex) {
      errors.add(Problem.fieldError(prefix + "occurred_at", "must be a timestamp like 2026-11-01T08:00:00Z"));
      return null;
    }
  }

  private static ContactInput contact(Object v, String prefix, Map<String, AttributeDefinition> catalog,
      String countryCode, JsonArray errors) {
    if (!(v instanceof JsonObject c)) {
      errors.add(Problem.fieldError(prefix + "contact", "must be an object of identities, e.g. {\"mobile\": \"...\"}"));
      return null;
    }
    try {
      ContactInput in = ContactInput.parse(c, catalog, countryCode);
      if (in.identities().isEmpty()) {
        errors.add(Problem.fieldError(prefix + "contact", "must name at least one identity"));
        return null;
      }
      return in;
    } catch (Problem p) {
      JsonArray inner = p.toJson().getJsonArray("errors");
      inner.forEach(o -> {
        JsonObject err = (JsonObject) o;
        errors.add(Problem.fieldError(prefix + "contact." + err.getString("field"), err.getString("message")));
      });
      return null;
    }
  }

  private static BigDecimal amount(Object v, boolean required, String prefix, JsonArray errors) {
    if (v == null) {
      if (required) {
        errors.add(Problem.fieldError(prefix + "amount", "is required for a purchase (in yuan)"));
      }
      return null;
    }
    if (!(v instanceof Number n)) {
      errors.add(Problem.fieldError(prefix + "amount", "must be a number"));
      return null;
    }
    BigDecimal amount = new BigDecimal(n.toString());
    if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0 || amount.stripTrailingZeros().scale() > 2) {
      errors.add(Problem.fieldError(prefix + "amount", "must be from 0 to 999999999999.99 with at most 2 decimals"));
      return null;
    }
    return amount;
  }

  private static JsonObject properties(Object v, String prefix, JsonArray errors) {
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject p)) {
      errors.add(Problem.fieldError(prefix + "properties", "must be an object"));
      return null;
    }
    if (p.encode().length() > MAX_PROPERTIES_BYTES) {
      errors.add(Problem.fieldError(prefix + "properties", "must be at most 16 KiB as JSON"));
      return null;
    }
    return p;
  }
}
