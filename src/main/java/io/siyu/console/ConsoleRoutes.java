package io.siyu.console;

import io.siyu.problem.Problem;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The operators' web console, a single-page app built from {@code web/console} into the jar:
 * {@code GET /console/} and every path under it. A file of the bundle is answered as itself; any
 * other path (a deep link such as {@code /console/journeys/welcome}) answers {@code index.html}, whose
 * router shows the page; a missing file under {@code assets/} is a 404, so a stale chunk fails as one.
 * Files under {@code assets/} carry a content hash in their names and are cached for a year
 * ({@code immutable}); {@code index.html} is revalidated on every load ({@code no-cache}, with an
 * ETag), so a new release is picked up at once. Files go out gzipped when the browser accepts it.
 * {@code /} and {@code /console} redirect to {@code /console/}. No token: the console signs in
 * through the API, and the API guards the data.
 */
public final class ConsoleRoutes {
  static final String BASE = "/console/";
  private static final String ASSETS = "assets/";
  private static final String HASHED = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";
  /**
   * Scripts only from Siyu itself (no inline script, no eval); styles may be inline (bpmn-js sets
   * style attributes on the diagram's SVG); images also from https (an email preview's pictures, in
   * a sandboxed frame); the API on the same origin; no framing of the console by anyone.
   */
  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
      + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  private ConsoleRoutes() {}

  public static void mount(Router root) {
    ConsoleFiles files = ConsoleFiles.load(ConsoleRoutes.class.getClassLoader());
    root.get("/").handler(ctx -> redirect(ctx.response()));
    // Vert.x matches "/console" for "/console/" too: only the bare path is redirected
    root.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        redirect(ctx.response());
      }
    });
    root.get("/console/*").handler(ctx -> serve(ctx, files));
  }

  private static void redirect(HttpServerResponse response) {
    response.setStatusCode(302).putHeader("Location", BASE).end();
  }

  private static void serve(RoutingContext ctx, ConsoleFiles files) {
    if (files == null) {
      throw Problem.notFound("The console (built by mvn package from web/; this build skipped it)");
    }
    String path = ctx.normalizedPath();
    String name = path.length() > BASE.length() ? path.substring(BASE.length()) : ConsoleFiles.INDEX;
    if (!files.has(name)) {
      if (name.startsWith(ASSETS)) {
        throw Problem.notFound("No such file of the console: " + name);
      }
      name = ConsoleFiles.INDEX;
    }
    String cache = name.startsWith(ASSETS) ? HASHED : REVALIDATE;
    files.get(ctx.vertx(), name).onSuccess(asset -> answer(ctx, asset, cache)).onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, ConsoleFiles.Asset asset, String cache) {
    HttpServerResponse response = ctx.response()
        .putHeader("Cache-Control", cache)
        .putHeader("ETag", asset.etag())
        .putHeader("Vary", "Accept-Encoding")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Content-Security-Policy", POLICY);
    if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", asset.contentType());
    if (asset.gzip() != null && AcceptEncoding.allowsGzip(ctx.request().getHeader("Accept-Encoding"))) {
      // already compressed: the server's own compression leaves an answer with a Content-Encoding alone
      response.putHeader("Content-Encoding", "gzip").end(asset.gzip());
    } else {
      // "identity" keeps the server from compressing it again on the fly
      response.putHeader("Content-Encoding", "identity").end(asset.body());
    }
  }
}
