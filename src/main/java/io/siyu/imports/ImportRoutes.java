package io.siyu.imports;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code /api/v1/imports}: the upload is streamed to disk as it arrives (a million-row file never
 * sits in memory), flushed, checked, recorded, and only then answered with {@code 202}.
 */
public final class ImportRoutes {
  private ImportRoutes() {}

  public static void mount(Router api, ImportService imports) {
    api.post("/imports").handler(Access.INGEST).handler(ctx -> upload(ctx, imports));
    api.get("/imports").handler(Access.INGEST_OR_READ).handler(ctx ->
        imports.list(Page.of(ctx, ImportService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/imports/:id").handler(Access.INGEST_OR_READ).handler(ctx ->
        imports.get(Bodies.id(ctx, "id", "Import")).onSuccess(j -> Bodies.ok(ctx, j)).onFailure(ctx::fail));
    api.get("/imports/:id/rejections").handler(Access.INGEST_OR_READ).handler(ctx -> {
      if (wantsCsv(ctx)) {
        rejectionsCsv(ctx, imports);
      } else {
        imports.rejections(Bodies.id(ctx, "id", "Import"), Page.of(ctx, ImportRejections.SORTS))
            .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
      }
    });
  }

  /** {@code Accept: text/csv} (before any JSON type it also names): the whole list as a file. */
  private static boolean wantsCsv(RoutingContext ctx) {
    return ctx.parsedHeaders().accept().stream().findFirst()
        .map(a -> "text/csv".equalsIgnoreCase(a.value())).orElse(false);
  }

  private static void rejectionsCsv(RoutingContext ctx, ImportService imports) {
    long id = Bodies.id(ctx, "id", "Import");
    HttpServerResponse response = ctx.response();
    imports.rejectionsCsv(id, () -> response.setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"import-" + id + "-rejections.csv\""), response)
        .onSuccess(v -> response.end()).onFailure(ctx::fail);
  }

  private static void upload(RoutingContext ctx, ImportService imports) {
    HttpServerRequest req = ctx.request();
    ImportFormat format = ImportFormat.fromContentType(req.getHeader("Content-Type"));
    if (format == null) {
      reject(ctx, Problem.unsupportedMediaType("Upload the file as text/csv or application/x-ndjson"));
      return;
    }
    String length = req.getHeader("Content-Length");
    if (length != null && Long.parseLong(length) > imports.maxBytes()) {
      reject(ctx, Problem.tooLarge("Imports are limited to " + imports.maxBytes() + " bytes"));
      return;
    }
    req.pause();
    Path file = imports.directory().resolve(UUID.randomUUID() + "." + format.wire);
    imports.vertx().fileSystem().mkdirs(imports.directory().toString())
        .compose(v -> imports.vertx().fileSystem().open(file.toString(), new OpenOptions().setCreateNew(true).setWrite(true)))
        .onSuccess(out -> receive(ctx, imports, out, file, format))
        .onFailure(ctx::fail);
  }

  /** Copies the body to {@code out} with back-pressure, counting bytes against the limit. */
  private static void receive(RoutingContext ctx, ImportService imports, AsyncFile out, Path file, ImportFormat format) {
    HttpServerRequest req = ctx.request();
    long[] bytes = {0};
    boolean[] failed = {false};
    req.handler(buf -> {
      if (failed[0]) {
        return;
      }
      bytes[0] += buf.length();
      if (bytes[0] > imports.maxBytes()) {
        failed[0] = true;
        discard(imports, out, file);
        reject(ctx, Problem.tooLarge("Imports are limited to " + imports.maxBytes() + " bytes"));
        return;
      }
      out.write(buf);
      if (out.writeQueueFull()) {
        req.pause();
        out.drainHandler(v -> req.resume());
      }
    });
    req.exceptionHandler(err -> {
      failed[0] = true;
      discard(imports, out, file);
    });
    req.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      if (bytes[0] == 0) {
        discard(imports, out, file);
        reject(ctx, Problem.invalid("body", "the uploaded file is empty"));
        return;
      }
      // flush() forces the data to disk: the upload is durable before anyone is told it arrived
      out.flush().compose(x -> out.close())
          .compose(x -> imports.checkHeader(file, format))
          .compose(x -> imports.accept(file, format, bytes[0], Principal.of(ctx).actor()))
          .onSuccess(job -> {
            ctx.response().putHeader("Location", "/api/v1/imports/" + job.getLong("id"));
            Bodies.json(ctx, 202, job);
          })
          .onFailure(err -> {
            imports.vertx().fileSystem().delete(file.toString());
            ctx.fail(err);
          });
    });
    req.resume();
  }

  private static void discard(ImportService imports, AsyncFile out, Path file) {
    out.close().onComplete(v -> imports.vertx().fileSystem().delete(file.toString()));
  }

  /** Answers without reading the rest of the body, and closes the connection so it is not read either. */
  private static void reject(RoutingContext ctx, Problem problem) {
    ctx.response().putHeader("Connection", "close");
    Bodies.problem(ctx.response(), problem);
  }
}
