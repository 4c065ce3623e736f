package io.siyu.wecom.channelcode;

import io.siyu.problem.Problem;
import io.siyu.web.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A channel code to create, validated all at once (one 422 listing every bad field):
 * <pre>
 *   {"name": "门店海报", "staff": ["zhangsan", "lisi"], "tags": [12, {"group": "渠道", "name": "门店"}],
 *    "journey_key": "welcome", "skip_verify": true}
 * </pre>
 * {@code staff}: the WeCom userids a scan adds (one: a single-staff code, more: WeCom picks one);
 * {@code tags}: existing tags, by id or by group and name; {@code journey_key} (optional): the
 * journey a customer added through the code enters; {@code skip_verify} (default true): whether
 * the staff member must accept the customer.
 */
record ChannelCodeInput(String name, List<String> staff, List<TagRef> tags, String journeyKey, boolean skipVerify) {
  static final int MAX_STAFF = 100;
  static final int MAX_TAGS = 20;
  private static final Set<String> FIELDS = Set.of("name", "staff", "tags", "journey_key", "skip_verify");
  /** WeCom userids: 1 to 64 letters, digits and {@code _-.@}. */
  private static final Pattern USERID = Pattern.compile("^[A-Za-z0-9_.@-]{1,64}$");

  /** A tag named by id, or by group and name; {@code field} is where the request named it. */
  record TagRef(Long id, String group, String name, String field) {}

  static ChannelCodeInput parse(JsonObject body) {
    JsonArray errors = new JsonArray();
    body.fieldNames().stream().filter(f -> !FIELDS.contains(f)).sorted()
        .forEach(f -> errors.add(Problem.fieldError(f, "is not a field of a channel code (" + String.join(", ",
            new java.util.TreeSet<>(FIELDS)) + ")")));
    String name = text(body.getValue("name"), 100);
    if (name == null) {
      errors.add(Problem.fieldError("name", "is required, 1 to 100 characters"));
    }
    List<String> staff = staff(body.getValue("staff"), errors);
    List<TagRef> tags = tags(body.getValue("tags"), errors);
    String journey = null;
    if (body.getValue("journey_key") != null) {
      journey = text(body.getValue("journey_key"), 200);
      if (journey == null) {
        errors.add(Problem.fieldError("journey_key", "must be a journey's key, 1 to 200 characters"));
      }
    }
    Object skip = body.getValue("skip_verify");
    if (skip != null && !(skip instanceof Boolean)) {
      errors.add(Problem.fieldError("skip_verify", "must be true or false"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new ChannelCodeInput(name, staff, tags, journey, skip == null || (Boolean) skip);
  }

  private static List<String> staff(Object value, JsonArray errors) {
    if (!(value instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_STAFF) {
      errors.add(Problem.fieldError("staff", "is required: a list of 1 to " + MAX_STAFF + " WeCom userids"));
      return List.of();
    }
    Set<String> staff = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof String s) || !USERID.matcher(s).matches()) {
        errors.add(Problem.fieldError("staff[" + i + "]", "must be a WeCom userid: 1 to 64 letters, digits, _ - . @"));
      } else if (!staff.add(s)) {
        errors.add(Problem.fieldError("staff[" + i + "]", "repeats " + s));
      }
    }
    return List.copyOf(staff);
  }

  private static List<TagRef> tags(Object value, JsonArray errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list) || list.size() > MAX_TAGS) {
      errors.add(Problem.fieldError("tags", "must be a list of up to " + MAX_TAGS + " tags"));
      return List.of();
    }
    List<TagRef> tags = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String field = "tags[" + i + "]";
      Object t = list.getValue(i);
      Long id = JsonValues.positiveId(t);
      if (id != null) {
        tags.add(new TagRef(id, null, null, field));
      } else if (t instanceof JsonObject o && o.size() == 2 && text(o.getValue("group"), 100) != null
          && text(o.getValue("name"), 100) != null) {
        tags.add(new TagRef(null, text(o.getValue("group"), 100), text(o.getValue("name"), 100), field));
      } else {
        errors.add(Problem.fieldError(field, "must be a tag id or {\"group\": ..., \"name\": ...}"));
      }
    }
    return tags;
  }

  /** A trimmed string of 1 to {@code max} characters, or null. */
  private static String text(Object value, int max) {
    if (!(value instanceof String s) || s.isBlank() || s.strip().length() > max) {
      return null;
    }
    return s.strip();
  }

  /** WeCom's request: type 1 (one staff member) or 2 (several), scene 2 (a QR code). */
  JsonObject wecomRequest(String state) {
    return new JsonObject().put("type", staff.size() == 1 ? 1 : 2).put("scene", 2)
        .put("remark", name.length() > 30 ? name.substring(0, 30) : name) // WeCom keeps at most 30 characters
        .put("skip_verify", skipVerify).put("state", state).put("user", new JsonArray(staff));
  }
}
