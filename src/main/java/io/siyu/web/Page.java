package io.siyu.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset paging shared by every list: {@code ?limit=&cursor=}. The cursor is an opaque token
 * wrapping the last id seen, so pages stay stable while rows are added, and a page deep into a
 * million contacts costs the same as the first.
 */
public record Page(int limit, long afterId) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static Page of(RoutingContext ctx) {
    int limit = DEFAULT_LIMIT;
    String rawLimit = ctx.request().getParam("limit");
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        throw Problem.invalid("limit", "must be a whole number");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw Problem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
      }
    }
    return new Page(limit, decode(ctx.request().getParam("cursor")));
  }

  private static long decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith("id:")) {
        return Long.parseLong(s.substring(3));
      }
    } catch (IllegalArgumentException e) {
      // fall through: not a cursor we issued
    }
    throw Problem.invalid("cursor", "is not a cursor this API issued");
  }

  public static String encode(long lastId) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("id:" + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /** Fetch one row more than the limit: its presence says whether a next page exists. */
  public int fetchSize() {
    return limit + 1;
  }

  /** Wraps rows fetched with {@link #fetchSize()} into {@code {items, next_cursor}}. */
  public JsonObject wrap(JsonArray rows) {
    return wrap(rows, "id");
  }

  /** As {@link #wrap(JsonArray)}, for lists whose key column is {@code idField}. */
  public JsonObject wrap(JsonArray rows, String idField) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(rows.getValue(i));
    }
    String next = rows.size() > limit
        ? encode(items.getJsonObject(items.size() - 1).getLong(idField))
        : null;
    return new JsonObject().put("items", items).put("next_cursor", next);
  }
}
