package io.siyu.imports;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import org.apache.commons.csv.CSVFormat;

/**
 * An import's rejected lines, each with every bad cell ({@code errors}: field and reason): a page of
 * them for the API, or all of them as CSV, one row per bad cell, to fix the file in a spreadsheet.
 */
final class ImportRejections {
  /** In file order unless asked otherwise. */
  static final Sorts SORTS = Sorts.of("line", Sorts.number("line", "r.line_no"));
  private static final CSVFormat CSV_FORMAT = CSVFormat.RFC4180;

  private final Pool pool;

  ImportRejections(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> page(long importId, Page page) {
    SqlParams p = SqlParams.startingWith(importId);
    return pool.preparedQuery(ImportSql.REJECTIONS_WHERE + page.after(p::add) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /**
   * Writes {@code line,field,reason} and a row per bad cell to {@code out}, streamed from a cursor
   * as {@code out} takes them (an import keeps up to 100,000 rejected lines).
   */
  Future<Void> csv(long importId, WriteStream<Buffer> out) {
    return pool.withTransaction(conn -> conn.prepare(ImportSql.REJECTIONS_CSV).compose(statement -> {
      Promise<Void> done = Promise.promise();
      RowStream<Row> rows = statement.createStream(500, Tuple.of(importId));
      // a byte-order mark first: without it Excel reads UTF-8 (Chinese names and messages) as GBK
      out.write(Buffer.buffer("\uFEFF").appendBuffer(line("line", "field", "reason")));
      rows.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(r -> {
        out.write(line(r.getLong("line_no"), cell(r.getString("field")), cell(r.getString("reason"))));
        if (out.writeQueueFull()) {
          rows.pause();
          out.drainHandler(v -> rows.resume());
        }
      });
      return done.future();
    }));
  }

  private static Buffer line(Object... values) {
    return Buffer.buffer(CSV_FORMAT.format(values) + "\r\n");
  }

  /** A spreadsheet runs a cell that starts like a formula: an NDJSON field name could. */
  private static String cell(String s) {
    return s != null && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
  }
}
