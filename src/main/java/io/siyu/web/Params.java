package io.siyu.web;

import io.siyu.problem.Problem;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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

  /**
   * The start of a range of times: a timestamp, or a plain date (2026-12-01), which starts at that
   * day's midnight in {@code zone}; null when the parameter is absent.
   */
  public static OffsetDateTime rangeStart(MultiMap params, String name, ZoneId zone) {
    return timestampOrDate(params, name, zone, 0);
  }

  /**
   * The (exclusive) end of a range of times: a timestamp, or a plain date, which includes that
   * whole day in {@code zone} (the range ends at the next midnight); null when the parameter is absent.
   */
  public static OffsetDateTime rangeEnd(MultiMap params, String name, ZoneId zone) {
    return timestampOrDate(params, name, zone, 1);
  }

  private static OffsetDateTime timestampOrDate(MultiMap params, String name, ZoneId zone, int daysAfter) {
    String s = params.get(name);
    if (s == null) {
      return null;
    }
    try {
      return !s.contains("T") ? LocalDate.parse(s).plusDays(daysAfter).atStartOfDay(zone).toOffsetDateTime()
          : OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be a date like 2026-11-01 or a timestamp like 2026-11-01T00:00:00Z");
    }
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
