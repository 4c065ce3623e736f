package io.siyu.console;

import java.util.Map;

/** The Content-Type of a bundle file, by its extension (a browser refuses a script served as anything else). */
final class ContentTypes {
  private static final Map<String, String> BY_EXTENSION = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "json", "application/json",
      "png", "image/png",
      "woff", "font/woff",
      "woff2", "font/woff2",
      "eot", "application/vnd.ms-fontobject",
      "ttf", "font/ttf");

  private ContentTypes() {}

  static String of(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return BY_EXTENSION.getOrDefault(extension, "application/octet-stream");
  }
}
