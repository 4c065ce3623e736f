package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Keyset paging shared by every list: {@code ?limit=&sort=&cursor=}. A page is read in one of the
 * list's {@link Sorts} orders; the cursor is an opaque token holding that order and the last row's
 * sort value and id, so the next page starts right after it: pages stay stable while rows are
 * added, and a page deep into a million contacts costs what the first one costs. A cursor carries
 * its order along (the next page may leave {@code sort} out); with another {@code sort} it is a 422.
 */
public final class Page {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  private static final List<String> PARAMS = List.of("limit", "sort", "cursor");

  private final int limit;
  private final Sorts.Order order;
  private final Sorts.Field unique;
  /** The last row of the previous page: its sort value and its id; both null on the first page. */
  private final Object afterValue;
  private final Object afterId;

  private Page(int limit, Sorts.Order order, Sorts.Field unique, Object afterValue, Object afterId) {
    this.limit = limit;
    this.order = order;
    this.unique = unique;
    this.afterValue = afterValue;
    this.afterId = afterId;
  }

  /** The page a request asks for of a list sortable by {@code sorts}; a 422 for a bad limit, sort or cursor. */
  public static Page of(RoutingContext ctx, Sorts sorts) {
    int limit = limit(ctx.request().getParam("limit"));
    List<String> sort = ctx.queryParam("sort");
    Sorts.Order asked = sort.isEmpty() ? null : sorts.parse(sort);
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null || cursor.isEmpty()) {
      return new Page(limit, asked == null ? sorts.byDefault() : asked, sorts.unique(), null, null);
    }
    JsonArray c = decode(cursor);
    Sorts.Order issued = c.getValue(0) instanceof String wire ? sorts.order(wire) : null;
    if (issued == null) {
      throw notOurs();
    }
    if (asked != null && !asked.equals(issued)) {
      throw Problem.invalid("cursor", "was issued for sort=" + issued.wire() + ", not sort=" + asked.wire()
          + ": send it with that sort (or none), or start again without a cursor");
    }
    Object value = Sorts.bindable(issued.field().kind(), c.getValue(1));
    Object id = Sorts.bindable(sorts.unique().kind(), c.getValue(2));
    if (value == null || id == null) {
      throw notOurs();
    }
    return new Page(limit, issued, sorts.unique(), value, id);
  }

  /** A list's {@code filters} and the parameters of paging: for lists that refuse parameters they do not know. */
  public static Set<String> paramsWith(String... filters) {
    Set<String> known = new java.util.HashSet<>(List.of(filters));
    known.addAll(PARAMS);
    return Set.copyOf(known);
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw Problem.invalid("limit", "must be a whole number");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Problem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }

  private static JsonArray decode(String cursor) {
    try {
      JsonArray c = new JsonArray(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (c.size() == 3) {
        return c;
      }
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      // fall through: not a cursor we issued
    }
    throw notOurs();
  }

  private static Problem notOurs() {
    return Problem.invalid("cursor", "is not a cursor this list issued");
  }

  private String encode(JsonObject lastItem) {
    JsonArray c = new JsonArray().add(order.wire()).add(lastItem.getValue(order.field().name()))
        .add(lastItem.getValue(unique.name()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(c.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Fetch one row more than the limit: its presence says whether a next page exists. */
  public int fetchSize() {
    return limit + 1;
  }

  /**
   * The condition for the rows after the cursor in this order ({@code true} on the first page): a
   * row comparison of (sort field, id), which a B-tree index on those two columns answers directly.
   * {@code bind} turns a value into its placeholder ({@code SqlParams::add}).
   */
  public String after(Function<Object, String> bind) {
    if (afterId == null) {
      return "true";
    }
    String op = order.descending() ? " < " : " > ";
    if (order.field().equals(unique)) {
      return unique.sql() + op + bind.apply(afterId);
    }
    return "(" + order.field().sql() + ", " + unique.sql() + ")" + op
        + "(" + bind.apply(afterValue) + ", " + bind.apply(afterId) + ")";
  }

  /** {@code ORDER BY … LIMIT $n}: the sort field, then the id, both in the asked direction. */
  public String orderAndLimit(Function<Object, String> bind) {
    String dir = order.descending() ? " DESC" : "";
    String by = order.field().equals(unique) ? unique.sql() + dir
        : order.field().sql() + dir + ", " + unique.sql() + dir;
    return "ORDER BY " + by + " LIMIT " + bind.apply(fetchSize());
  }

  /**
   * Wraps rows fetched with {@link #fetchSize()} into {@code {items, next_cursor}}; the cursor is
   * made of the last item's members named like the sort field and the id.
   */
  public JsonObject wrap(JsonArray rows) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(rows.getValue(i));
    }
    String next = rows.size() > limit ? encode(items.getJsonObject(items.size() - 1)) : null;
    return new JsonObject().put("items", items).put("next_cursor", next);
  }
}
