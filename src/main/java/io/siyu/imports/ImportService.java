package io.siyu.imports;

import io.siyu.attribute.AttributeService;
import io.siyu.contact.ContactDefaults;
import io.siyu.db.RowJson;
import io.siyu.db.Table;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk imports: an upload is stored on disk and recorded before it is acknowledged, then run as
 * a job on a small dedicated thread pool (imports are long and blocking: they must not hold the
 * shared worker pool). Jobs interrupted by a stop resume at the next start.
 */
public final class ImportService {
  private static final Logger log = LoggerFactory.getLogger(ImportService.class);

  private final Vertx vertx;
  private final Pool pool;
  private final DataSource jdbc;
  private final AttributeService attributes;
  private final Settings settings;
  private final Path dir;
  private final ExecutorService runner;
  private final Table table;
  private final ImportRejections rejections;

  /**
   * Where uploads are kept ({@code SIYU_DATA_DIR/imports}), the largest accepted
   * ({@code SIYU_IMPORT_MAX_BYTES}), and the defaults of the contacts they create.
   */
  public record Settings(Path dir, long maxBytes, ContactDefaults defaults) {}

  public ImportService(Vertx vertx, Pool pool, DataSource jdbc, AttributeService attributes, Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.jdbc = jdbc;
    this.attributes = attributes;
    this.settings = settings;
    this.dir = settings.dir();
    this.table = new Table(pool, "imports", ImportSql.COLUMNS, "Import", ImportService::toJson);
    this.rejections = new ImportRejections(pool);
    this.runner = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "siyu-import");
      t.setDaemon(true);
      return t;
    });
  }

  Path directory() {
    return dir;
  }

  long maxBytes() {
    return settings.maxBytes();
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * Checks a stored upload's header (CSV) or first line (NDJSON) before accepting it, so an
   * obviously wrong file is a 422 now rather than a failed job later.
   */
  Future<Void> checkHeader(Path file, ImportFormat format) {
    return attributes.catalog().compose(catalog -> vertx.executeBlocking(() -> {
      if (format == ImportFormat.NDJSON) {
        return null;
      }
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          CSVParser parser = CSVParser.parse(reader, CSVFormat.RFC4180.builder().setHeader().setTrim(true).get())) {
        List<String> problems = ImportFormat.headerProblems(ImportReader.stripBom(parser.getHeaderNames()), catalog);
        if (!problems.isEmpty()) {
          JsonArray errors = new JsonArray();
          problems.forEach(p -> errors.add(Problem.fieldError("header", p)));
          throw Problem.invalid(errors);
        }
      } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
        throw Problem.invalid("header", "the first line is not a CSV header");
      }
      return null;
    }, false));
  }

  /** Records a stored upload and starts it; the answer is the job as it stands. */
  Future<JsonObject> accept(Path file, ImportFormat format, long bytes, String actor) {
    return pool.preparedQuery(ImportSql.INSERT_JOB)
        .execute(Tuple.of(format.wire, file.toString(), bytes, actor))
        .map(rows -> {
          JsonObject job = toJson(rows.iterator().next());
          submit(job.getLong("id"), file, format);
          return job;
        });
  }

  private void submit(long id, Path file, ImportFormat format) {
    attributes.catalog().onSuccess(catalog -> runner.submit(new ImportJob(id, file, format, jdbc, catalog,
        settings.defaults().countryCode(), settings.defaults().timezone(), () -> log.debug("Import {} left its runner", id))));
  }

  /** Picks up jobs a previous run of this instance accepted but did not finish (their file is here). */
  public void resumeInterrupted() {
    pool.query(ImportSql.UNFINISHED_JOBS).execute()
        .onSuccess(rows -> rows.forEach(r -> {
          Path file = Path.of(r.getString("file_path"));
          // a file-system look is blocking: not on the event loop
          vertx.executeBlocking(() -> file.startsWith(dir) && Files.exists(file)).onSuccess(here -> {
            if (here) {
              log.info("Resuming import {}", r.getLong("id"));
              submit(r.getLong("id"), file, ImportFormat.fromWire(r.getString("format")));
            }
          });
        }))
        .onFailure(e -> log.warn("Could not look for interrupted imports: {}", e.getMessage()));
  }

  public Future<JsonObject> get(long id) {
    return table.get(id);
  }

  /** The latest upload first. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "id"));

  public Future<JsonObject> list(Page page) {
    return table.page(page);
  }

  /** A page of the import's rejected lines, each with every bad cell. */
  public Future<JsonObject> rejections(long id, Page page) {
    return get(id).compose(job -> rejections.page(id, page));
  }

  /** All of the import's rejected lines as CSV, a row per bad cell, written to {@code out} once the import is found. */
  public Future<Void> rejectionsCsv(long id, Runnable found, WriteStream<Buffer> out) {
    return get(id).compose(job -> {
      found.run();
      return rejections.csv(id, out);
    });
  }

  public void stop() {
    runner.shutdownNow();
    try {
      runner.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The job's columns, and how far it is in percent (one decimal, rounded down; null until its lines are counted). */
  private static JsonObject toJson(Row r) {
    Long total = r.getLong("total_rows");
    long done = r.getLong("rows_done");
    return RowJson.of(r)
        .put("percent", total == null || total == 0 ? null : Math.min(100.0, Math.floor(1000.0 * done / total) / 10));
  }
}
