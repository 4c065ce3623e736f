package io.siyu.template;

import io.siyu.locale.Locales;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a template as the API or the files give it: every bad field is listed ({@code key},
 * {@code variants[1].body}, ...) with what is wrong, Liquid syntax included, and nothing is stored
 * unless all of it is right. Each piece of Liquid is also rendered once without data under its
 * channel's limits ({@link MessageLimits}; a {@code default} variant under the largest), so a
 * template that goes past them whatever the data — one doubling a fixed string — is refused here.
 */
final class TemplateInput {
  static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  static final Set<String> KINDS = Set.of("marketing", "transactional");
  private static final Set<String> TEMPLATE_FIELDS = Set.of("key", "kind", "description", "variants");
  private static final Set<String> VERSION_FIELDS = Set.of("variants");
  private static final Set<String> VARIANT_FIELDS = Set.of("channel", "locale", "format", "subject", "body");
  private static final int MAX_VARIANTS = 100;
  private static final int MAX_DESCRIPTION = 1_000;

  /** A template to store: its key and kind, and the variants of its next version. */
  record Draft(String key, String kind, String description, List<Variant> variants) {
    /** The variants as stored: in channel and locale order, so equal content encodes equally. */
    JsonArray variantsJson() {
      JsonArray a = new JsonArray();
      variants.forEach(v -> a.add(v.toJson()));
      return a;
    }

    /** SHA-256 of the variants: an unchanged file set, or a repeated API call, makes no new version. */
    String contentHash() {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(variantsJson().encode().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final JsonArray errors = new JsonArray();
  private final MessageLimits limits;

  private TemplateInput(MessageLimits limits) {
    this.limits = limits;
  }

  /** A new template: {@code key}, {@code kind} (marketing by default), {@code description}, {@code variants}. */
  static Draft template(JsonObject body, MessageLimits limits) {
    TemplateInput in = new TemplateInput(limits);
    in.unknownFields(body, TEMPLATE_FIELDS, "");
    String key = in.key(body.getValue("key"));
    String kind = in.kind(body.getValue("kind"));
    String description = in.description(body.getValue("description"));
    List<Variant> variants = in.variants(body.getValue("variants"));
    in.failIfAny();
    return new Draft(key, kind, description, variants);
  }

  /** A new version of {@code key}: {@code variants} only. */
  static Draft version(String key, JsonObject body, MessageLimits limits) {
    TemplateInput in = new TemplateInput(limits);
    in.unknownFields(body, VERSION_FIELDS, "");
    List<Variant> variants = in.variants(body.getValue("variants"));
    in.failIfAny();
    return new Draft(key, null, null, variants);
  }

  private void failIfAny() {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }

  private void error(String field, String message) {
    errors.add(Problem.fieldError(field, message));
  }

  private void unknownFields(JsonObject body, Set<String> known, String prefix) {
    body.fieldNames().stream().filter(f -> !known.contains(f)).sorted()
        .forEach(f -> error(prefix + f, "is not a field of this object (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
  }

  private String key(Object raw) {
    if (!(raw instanceof String key) || !KEY.matcher(key).matches()) {
      error("key", "must be lowercase letters, digits and _, starting with a letter, at most 63 characters");
      return null;
    }
    return key;
  }

  private String kind(Object raw) {
    if (raw == null) {
      return "marketing";
    }
    if (!(raw instanceof String kind) || !KINDS.contains(kind)) {
      error("kind", "must be marketing or transactional");
      return null;
    }
    return kind;
  }

  private String description(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String d) || d.length() > MAX_DESCRIPTION) {
      error("description", "must be text of at most " + MAX_DESCRIPTION + " characters");
      return null;
    }
    return d;
  }

  private List<Variant> variants(Object raw) {
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_VARIANTS) {
      error("variants", "must be a list of 1 to " + MAX_VARIANTS + " variants");
      return List.of();
    }
    List<Variant> variants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "variants[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        error(field, "must be an object");
        continue;
      }
      Variant v = variant(json, field);
      if (v != null && !seen.add(v.label())) {
        error(field, "repeats the variant " + v.label());
      } else if (v != null) {
        variants.add(v);
      }
    }
    variants.sort(Comparator.comparing(Variant::channel).thenComparing(Variant::locale));
    return variants;
  }

  private Variant variant(JsonObject json, String field) {
    int before = errors.size();
    unknownFields(json, VARIANT_FIELDS, field + ".");
    String channel = json.getValue("channel") instanceof String c && ChannelRules.isVariantChannel(c) ? c : null;
    if (channel == null) {
      error(field + ".channel", "must be one of default, " + String.join(", ", ChannelRules.channels()));
    }
    String locale = json.getValue("locale") instanceof String l ? Locales.canonical(l) : null;
    if (locale == null) {
      error(field + ".locale", "must be a locale tag such as zh-CN or en");
    }
    String label = json.getValue("channel") + "/" + json.getValue("locale");
    Variant.Format format = format(json.getValue("format"), channel, field);
    String subject = subject(json.getValue("subject"), channel, label, field);
    String body = liquid(json.getValue("body"), channel, label, field + ".body");
    return errors.size() > before ? null : new Variant(channel, locale, format, subject, body);
  }

  private Variant.Format format(Object raw, String channel, String field) {
    if (raw == null) {
      return Variant.Format.defaultFor(channel);
    }
    if ("html".equals(raw) || "text".equals(raw)) {
      return Variant.Format.valueOf(((String) raw).toUpperCase(java.util.Locale.ROOT));
    }
    error(field + ".format", "must be html or text");
    return null;
  }

  private String subject(Object raw, String channel, String label, String field) {
    if (raw == null) {
      if ("email".equals(channel)) {
        error(field + ".subject", label + ": an email variant needs a subject");
      }
      return null;
    }
    if (channel != null && !Variant.takesSubject(channel)) {
      error(field + ".subject", label + ": only email and default variants have a subject");
      return null;
    }
    return liquid(raw, channel, label, field + ".subject");
  }

  /** Non-empty text that parses as Liquid and, rendered without data, stays within its channel's limits. */
  private String liquid(Object raw, String channel, String label, String field) {
    if (!(raw instanceof String text) || text.isBlank()) {
      error(field, label + ": must be non-empty text");
      return null;
    }
    try {
      LiquidTemplate.compile(text).tryWithoutData(limits.budget(channel == null ? ChannelRules.DEFAULT : channel));
    } catch (IllegalArgumentException | RenderException e) {
      error(field, label + ": " + e.getMessage());
      return null;
    }
    return text;
  }
}
