package io.siyu.contact;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.attribute.AttributeValues;
import io.siyu.problem.Problem;
import io.siyu.web.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated, normalised set of contact fields: what a create, a PATCH or one import row asks
 * to write. Only the keys present are written (PATCH semantics); {@code null} clears a field.
 * The API and the bulk import both come through {@link #parse}, so they accept the same data.
 */
public record ContactInput(Map<String, Object> columns, JsonObject attributes, JsonObject consent) {
  static final Set<String> GENDERS = Set.of("male", "female", "unknown");
  public static final Set<String> LIFECYCLE_STAGES = Set.of("new", "growing", "mature", "dormant", "churned");
  private static final Pattern CHANNEL = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
  /** The columns that are never empty (NOT NULL with a default), with a value to suggest instead of null. */
  private static final Map<String, String> ALWAYS_SET = Map.of("gender", "unknown", "timezone", "Asia/Shanghai",
      "lifecycle_stage", "new");
  private static final Set<String> READ_ONLY = Set.of("id", "first_seen_at", "last_interaction_at",
      "last_purchase_at", "purchase_count", "total_spent", "points_balance", "rfm", "growth_value", "tier", "tier_since", "invite_code", "referred_by", "created_at", "updated_at", "tags");
  /** Every column a client may write, in table order. */
  public static final java.util.List<String> WRITABLE = java.util.List.of("external_userid", "unionid", "openid",
      "mobile", "email", "name", "gender", "birthday", "timezone", "owner_staff_id", "source", "lifecycle_stage",
      "locale");

  public static ContactInput parse(JsonObject body, Map<String, AttributeDefinition> catalog, String countryCode) {
    // the API's bodies were checked when read; an import's lines were not, and a rejection quoting
    // a NUL key could not even be recorded
    JsonObject unfit = JsonValues.firstUnfit(body);
    if (unfit != null) {
      throw Problem.invalid(new JsonArray().add(unfit));
    }
    JsonArray errors = new JsonArray();
    Map<String, Object> columns = new LinkedHashMap<>();
    JsonObject attributes = null;
    JsonObject consent = null;
    for (Map.Entry<String, Object> e : body) {
      String key = e.getKey();
      Object value = e.getValue();
      try {
        if (WRITABLE.contains(key)) {
          columns.put(key, value == null ? cleared(key) : column(key, value, countryCode));
        } else if ("attributes".equals(key)) {
          attributes = attributes(value, catalog);
        } else if ("consent".equals(key)) {
          consent = consent(value);
        } else if (READ_ONLY.contains(key)) {
          throw new IllegalArgumentException("is read-only");
        } else {
          throw new IllegalArgumentException("is not a contact field");
        }
      } catch (IllegalArgumentException | ClassCastException ex) {
        errors.add(Problem.fieldError(key, ex instanceof ClassCastException ? "has the wrong type" : ex.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new ContactInput(columns, attributes, consent);
  }

  /** The identities this input names (normalised), by key. */
  public Map<String, String> identities() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String k : Identities.KEYS) {
      if (columns.get(k) instanceof String s) {
        ids.put(k, s);
      }
    }
    return ids;
  }

  public boolean isEmpty() {
    return columns.isEmpty() && attributes == null && consent == null;
  }

  /** {@code null} clears a field, except those a contact always has a value for. */
  private static Object cleared(String key) {
    String example = ALWAYS_SET.get(key);
    if (example != null) {
      throw new IllegalArgumentException("cannot be cleared: every contact has one (send a value such as " + example + ")");
    }
    return null;
  }

  private static Object column(String key, Object value, String countryCode) {
    if (key.equals("birthday")) {
      return birthday(text(value));
    }
    String s = text(value);
    if (Identities.KEYS.contains(key)) {
      return Identities.normalise(key, s, countryCode);
    }
    return switch (key) {
      case "gender" -> oneOf(s, GENDERS);
      case "lifecycle_stage" -> oneOf(s, LIFECYCLE_STAGES);
      case "timezone" -> timezone(s);
      case "locale" -> locale(s);
      default -> bounded(s, key.equals("name") ? 200 : 128);
    };
  }

  private static String text(Object value) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException("must be a string");
    }
    return s;
  }

  private static String bounded(String s, int max) {
    String t = s.trim();
    if (t.length() > max) {
      throw new IllegalArgumentException("must be at most " + max + " characters");
    }
    return t;
  }

  private static String oneOf(String s, Set<String> allowed) {
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return s;
  }

  private static LocalDate birthday(String s) {
    LocalDate d;
    try {
      d = LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be a date like 1990-02-28");
    }
    if (d.getYear() < 1900 || d.isAfter(LocalDate.now(ZoneId.of("UTC")).plusDays(1))) {
      throw new IllegalArgumentException("must be between 1900-01-01 and today");
    }
    return d;
  }

  private static String timezone(String s) {
    if (!ZoneId.getAvailableZoneIds().contains(s)) {
      throw new IllegalArgumentException("must be an IANA time zone such as Asia/Shanghai");
    }
    return s;
  }

  /** A BCP 47 language tag such as zh-CN or en, in its canonical case. */
  private static String locale(String s) {
    String tag = io.siyu.locale.Locales.canonical(s.trim());
    if (tag == null) {
      throw new IllegalArgumentException("must be a language tag such as zh-CN or en");
    }
    return tag;
  }

  private static JsonObject attributes(Object value, Map<String, AttributeDefinition> catalog) {
    if (!(value instanceof JsonObject attrs)) {
      throw new IllegalArgumentException("must be an object");
    }
    String problem = AttributeValues.firstProblem(attrs, catalog);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return attrs;
  }

  private static JsonObject consent(Object value) {
    if (!(value instanceof JsonObject c)) {
      throw new IllegalArgumentException("must be an object of channel: true/false");
    }
    for (Map.Entry<String, Object> e : c) {
      if (!CHANNEL.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(e.getKey() + " is not a channel name");
      }
      if (e.getValue() != null && !(e.getValue() instanceof Boolean)) {
        throw new IllegalArgumentException(e.getKey() + " must be true, false or null");
      }
    }
    return c;
  }
}
