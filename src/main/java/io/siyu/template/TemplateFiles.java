package io.siyu.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the templates directory (blocking: run it on a worker thread). One folder per template key;
 * in it one file per variant, {@code <channel>.<locale>.html} or {@code <channel>.<locale>.txt}
 * (Liquid either way), and optionally {@code template.json} with {@code kind}, {@code description}
 * and {@code subject} (by locale, for the email and default variants). Each folder becomes the same
 * JSON body {@code POST /api/v1/templates} takes, so files and the API are checked alike.
 * templates/README.md documents the layout.
 */
final class TemplateFiles {
  private static final Pattern VARIANT_FILE = Pattern.compile("([a-z]+)\\.([A-Za-z0-9-]+)\\.(html|txt)");
  private static final String META = "template.json";

  /** One template folder read as an API body, or the reason it could not be read. */
  record Folder(String key, JsonObject body, String problem) {}

  private TemplateFiles() {}

  /** Every template folder under {@code dir}, in key order; none when the directory does not exist. */
  static List<Folder> read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Folder> folders = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path folder : entries.filter(Files::isDirectory).filter(p -> !name(p).startsWith(".")).sorted().toList()) {
        folders.add(folder(folder));
      }
    }
    return folders;
  }

  private static Folder folder(Path folder) throws IOException {
    String key = name(folder);
    JsonObject meta;
    try {
      meta = Files.exists(folder.resolve(META)) ? new JsonObject(Files.readString(folder.resolve(META))) : new JsonObject();
    } catch (io.vertx.core.json.DecodeException e) {
      return new Folder(key, null, META + " is not a JSON object: " + e.getMessage());
    }
    JsonObject subjects = meta.getValue("subject") instanceof JsonObject s ? s : new JsonObject();
    JsonArray variants = new JsonArray();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = name(file);
        if (name.equals(META) || name.startsWith(".") || name.equalsIgnoreCase("README.md")) {
          continue;
        }
        Matcher m = VARIANT_FILE.matcher(name);
        if (!m.matches()) {
          return new Folder(key, null, "unexpected file " + name + " (variants are <channel>.<locale>.html or .txt)");
        }
        variants.add(variant(m, Files.readString(file, StandardCharsets.UTF_8), subjects));
      }
    }
    JsonObject body = meta.copy();
    body.remove("subject");
    return new Folder(key, body.put("key", key).put("variants", variants), null);
  }

  private static JsonObject variant(Matcher file, String source, JsonObject subjects) {
    String channel = file.group(1);
    JsonObject v = new JsonObject().put("channel", channel).put("locale", file.group(2))
        .put("format", file.group(3).equals("html") ? "html" : "text").put("body", source);
    if (Variant.takesSubject(channel) && subjects.containsKey(file.group(2))) {
      v.put("subject", subjects.getValue(file.group(2)));
    }
    return v;
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }
}
