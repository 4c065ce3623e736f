package io.siyu.imports;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.attribute.AttributeValues;
import io.siyu.contact.ContactInput;
import io.siyu.contact.Identities;
import io.siyu.imports.Rejection.Cause;
import io.siyu.problem.Problem;
import io.siyu.web.JsonValues;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns one uploaded row into a {@link ContactInput}, through the same validation the contacts API
 * uses. An empty CSV cell means "leave as it is", so a partial file updates without erasing. A bad
 * row is refused with every bad cell in it ({@link Rejection.Refused}), not only the first.
 */
final class ImportRows {
  private final Map<String, AttributeDefinition> catalog;
  private final String countryCode;

  ImportRows(Map<String, AttributeDefinition> catalog, String countryCode) {
    this.catalog = catalog;
    this.countryCode = countryCode;
  }

  ContactInput fromCsv(List<String> header, List<String> cells) {
    if (cells.size() != header.size()) {
      throw new Rejection.Refused("has " + cells.size() + " cells, the header has " + header.size());
    }
    JsonObject body = new JsonObject();
    List<Cause> bad = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      if (cell == null || cell.isEmpty()) {
        continue;
      }
      String col = header.get(i);
      try {
        if (col.startsWith("attributes.")) {
          String key = col.substring("attributes.".length());
          object(body, "attributes").put(key, AttributeValues.fromText(catalog.get(key), cell));
        } else if (col.startsWith("consent.")) {
          object(body, "consent").put(col.substring("consent.".length()), bool(cell));
        } else {
          body.put(col, cell);
        }
      } catch (IllegalArgumentException e) {
        bad.add(new Cause(col, e.getMessage()));
      }
    }
    ContactInput in = parse(body, bad);
    // in the order of the columns, as whoever fixes the file reads them; the row's own first
    bad.sort(Comparator.comparingInt(c -> c.field() == null ? -1 : header.indexOf(c.field())));
    return valid(in, bad);
  }

  ContactInput fromJsonLine(String line) {
    JsonObject body;
    try {
      body = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw new Rejection.Refused("is not a JSON object");
    }
    // a value no column could hold is the line's one problem: its key may not even be quotable
    JsonObject unfit = JsonValues.firstUnfit(body);
    if (unfit != null) {
      throw new Rejection.Refused(List.of(new Cause(unfit.getString("field"), unfit.getString("message"))));
    }
    List<Cause> bad = new ArrayList<>();
    if (body.getValue("attributes") instanceof JsonObject attributes) {
      // each bad attribute on its own: the contact checks would stop at the first
      JsonObject good = attributes.copy();
      AttributeValues.problems(attributes, catalog).forEach((key, problem) -> {
        bad.add(new Cause("attributes." + key, problem));
        good.remove(key);
      });
      body = body.copy().put("attributes", good);
    }
    return valid(parse(body, bad), bad);
  }

  /** The row through the contact checks (the API's own); their complaints join {@code bad}. */
  private ContactInput parse(JsonObject body, List<Cause> bad) {
    if (Identities.KEYS.stream().allMatch(k -> body.getValue(k) == null)) {
      bad.add(0, new Cause(null, "names no identity"));
    }
    try {
      return ContactInput.parse(body, catalog, countryCode);
    } catch (Problem p) {
      p.toJson().getJsonArray("errors").forEach(e ->
          bad.add(new Cause(((JsonObject) e).getString("field"), ((JsonObject) e).getString("message"))));
      return null;
    }
  }

  private static ContactInput valid(ContactInput in, List<Cause> bad) {
    if (!bad.isEmpty()) {
      throw new Rejection.Refused(bad);
    }
    return in;
  }

  private static JsonObject object(JsonObject body, String key) {
    JsonObject o = body.getJsonObject(key);
    if (o == null) {
      o = new JsonObject();
      body.put(key, o);
    }
    return o;
  }

  private static Boolean bool(String cell) {
    return switch (cell.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "y" -> Boolean.TRUE;
      case "false", "0", "no", "n" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }
}
