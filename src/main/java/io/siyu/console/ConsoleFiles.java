package io.siyu.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The console's bundle on the class path ({@code console/}, where the build puts what Vite made from
 * {@code web/console}). Which files exist is read once from Vite's manifest, so a request for any
 * other name costs no class-path lookup and cannot reach another resource. Each file is read and
 * gzipped (best compression, once) on a worker thread the first time it is asked for, then served
 * from memory: the bundle is a few MB.
 */
final class ConsoleFiles {
  /** Where the build puts the bundle, on the class path. */
  static final String ROOT = "console/";
  static final String INDEX = "index.html";
  private static final String MANIFEST = ".vite/manifest.json";

  /** A file as served: its bytes, the gzip of them when that is smaller, its type and entity tag. */
  record Asset(Buffer body, Buffer gzip, String contentType, String etag) {}

  private final ClassLoader loader;
  private final Set<String> names;
  private final Map<String, Future<Asset>> loaded = new ConcurrentHashMap<>();

  private ConsoleFiles(ClassLoader loader, Set<String> names) {
    this.loader = loader;
    this.names = names;
  }

  /** The bundle's files, or null when this build has no console ({@code -DskipConsole}). */
  static ConsoleFiles load(ClassLoader loader) {
    byte[] manifest = read(loader, ROOT + MANIFEST);
    byte[] index = read(loader, ROOT + INDEX);
    if (manifest == null || index == null) {
      return null;
    }
    Set<String> names = new TreeSet<>();
    names.add(INDEX);
    new JsonObject(new String(manifest, StandardCharsets.UTF_8)).forEach(chunk -> {
      JsonObject c = (JsonObject) chunk.getValue();
      names.add(c.getString("file"));
      for (String list : new String[] {"css", "assets"}) {
        if (c.getJsonArray(list) != null) {
          c.getJsonArray(list).forEach(n -> names.add((String) n));
        }
      }
    });
    return new ConsoleFiles(loader, Set.copyOf(names));
  }

  boolean has(String name) {
    return names.contains(name);
  }

  /** A file of the bundle ({@link #has} it), loaded on a worker thread the first time. */
  Future<Asset> get(Vertx vertx, String name) {
    return loaded.computeIfAbsent(name, n -> vertx.<Asset>executeBlocking(() -> asset(n), false)
        .onFailure(e -> loaded.remove(n)));
  }

  private Asset asset(String name) {
    byte[] bytes = read(loader, ROOT + name);
    if (bytes == null) {
      throw new IllegalStateException("the console's manifest names " + name + " but the class path has none");
    }
    byte[] gzip = gzip(bytes);
    return new Asset(Buffer.buffer(bytes), gzip.length < bytes.length * 0.9 ? Buffer.buffer(gzip) : null,
        ContentTypes.of(name), etag(bytes));
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 32) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
