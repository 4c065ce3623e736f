package io.siyu.apidocs;

import io.siyu.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /openapi.json}, the API contract ({@code openapi.yaml}) as JSON, and {@code GET /docs/api},
 * the reference page Redoc renders from it at build time ({@code web/}, {@code npm run build-api-docs}).
 * Neither needs a token: they describe the API, not its data. Both are read once, when mounted, and
 * answered from memory with an ETag, so a client that has them asks again for a 304.
 */
public final class ApiDocsRoutes {
  /** Where the build puts the rendered page, on the class path. */
  static final String PAGE = "apidocs/index.html";
  /** Short enough for a new release to show within minutes, long enough to spare refetching a 2 MB page. */
  private static final String CACHE = "public, max-age=300";
  /**
   * The page is one file: its scripts and styles are inline, and it may fetch nothing from elsewhere
   * (Redoc's bundle would load a logo from its CDN; blocked, it shows none).
   */
  private static final String PAGE_POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline'; "
      + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
      + "worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private ApiDocsRoutes() {}

  /** A response body read once, with its entity tag. */
  private record Cached(Buffer body, String etag) {
    static Cached of(byte[] bytes) {
      try {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new Cached(Buffer.buffer(bytes), "\"" + hash.substring(0, 32) + "\"");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static void mount(Router root) {
    Cached contract = Cached.of(ContractYaml.load().encode().getBytes(StandardCharsets.UTF_8));
    byte[] page = resource(PAGE);
    Cached html = page == null ? null : Cached.of(page);
    root.get("/openapi.json").handler(ctx -> {
      ctx.response().putHeader("Access-Control-Allow-Origin", "*");
      answer(ctx, contract, "application/json; charset=utf-8");
    });
    root.get("/docs/api").handler(ctx -> {
      if (html == null) {
        throw Problem.notFound("The API reference page (built by mvn package from web/)");
      }
      ctx.response().putHeader("Content-Security-Policy", PAGE_POLICY).putHeader("Referrer-Policy", "no-referrer");
      answer(ctx, html, "text/html; charset=utf-8");
    });
  }

  private static void answer(RoutingContext ctx, Cached cached, String contentType) {
    ctx.response().putHeader("Cache-Control", CACHE).putHeader("ETag", cached.etag())
        .putHeader("X-Content-Type-Options", "nosniff");
    if (cached.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().putHeader("Content-Type", contentType).end(cached.body());
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiDocsRoutes.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
