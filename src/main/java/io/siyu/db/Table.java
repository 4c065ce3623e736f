package io.siyu.db;

import io.siyu.web.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * Reading one table by id and in keyset pages, the same way for every feature that needs no joins
 * (the page's sort fields name this table's columns). {@code noun} names a row in 404s ("Segment 7
 * does not exist").
 */
public record Table(Pool pool, String name, String columns, String noun, Function<Row, JsonObject> toJson) {

  public Future<JsonObject> get(long id) {
    return pool.preparedQuery("SELECT " + columns + " FROM " + name + " WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, noun + " " + id, toJson));
  }

  public Future<JsonObject> page(Page page) {
    SqlParams p = new SqlParams();
    return pool.preparedQuery("SELECT " + columns + " FROM " + name + " WHERE " + page.after(p::add) + " "
            + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, toJson)));
  }
}
