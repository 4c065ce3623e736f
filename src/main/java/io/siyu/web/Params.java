package io.siyu.web;

import io.vertx.core.MultiMap;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters that filter lists, read and checked the same way everywhere (422 when bad). */
public final class Params {
  private Params() {}

  /** A positive id, or null when the parameter is absent. */
  public static Long positiveId(MultiMap params, String name) {
    String s = params.get(name);
    if (s == null) {
      return null;
    }
    try {
      long v = Long.parseLong(s);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw Problem.invalid(name, "must be a positive id");
  }

  /** An ISO-8601 timestamp with offset, or null when the parameter is absent. */
  public static OffsetDateTime timestamp(MultiMap params, String name) {
    String s = params.get(name);
    try {
      return s == null ? null : OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be a timestamp like 2026-11-01T00:00:00Z");
    }
  }
}
