package io.siyu.imports;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.attribute.AttributeValues;
import io.siyu.contact.ContactInput;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Turns one uploaded row into a {@link ContactInput}, through the same validation the contacts API
 * uses. An empty CSV cell means "leave as it is", so a partial file updates without erasing.
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
      throw new IllegalArgumentException("has " + cells.size() + " cells, the header has " + header.size());
    }
    JsonObject body = new JsonObject();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      if (cell == null || cell.isEmpty()) {
        continue;
      }
      String col = header.get(i);
      if (col.startsWith("attributes.")) {
        String key = col.substring("attributes.".length());
        object(body, "attributes").put(key, AttributeValues.fromText(catalog.get(key), cell));
      } else if (col.startsWith("consent.")) {
        object(body, "consent").put(col.substring("consent.".length()), bool(col, cell));
      } else {
        body.put(col, cell);
      }
    }
    return parse(body);
  }

  ContactInput fromJsonLine(String line) {
    JsonObject body;
    try {
      body = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("is not a JSON object");
    }
    return parse(body);
  }

  private ContactInput parse(JsonObject body) {
    try {
      ContactInput in = ContactInput.parse(body, catalog, countryCode);
      if (in.identities().isEmpty()) {
        throw new IllegalArgumentException("names no identity");
      }
      return in;
    } catch (io.siyu.web.Problem p) {
      JsonObject first = p.toJson().getJsonArray("errors").getJsonObject(0);
      throw new IllegalArgumentException(first.getString("field") + " " + first.getString("message"));
    }
  }

  private static JsonObject object(JsonObject body, String key) {
    JsonObject o = body.getJsonObject(key);
    if (o == null) {
      o = new JsonObject();
      body.put(key, o);
    }
    return o;
  }

  private static Boolean bool(String col, String cell) {
    return switch (cell.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "y" -> Boolean.TRUE;
      case "false", "0", "no", "n" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(col + " must be true or false");
    };
  }
}
