package io.siyu.wecom.chat;

import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Params;
import io.vertx.core.MultiMap;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;

/** The query parameters of the group chat API, validated: an unknown or bad one is a 422, never ignored. */
final class GroupChatQuery {
  static final Set<String> STATUSES = Set.of("active", "dismissed");
  static final Set<String> MEMBER_STATUSES = Set.of("active", "left", "all");
  static final int MAX_STATS_DAYS = 366;
  private static final int MAX_TEXT = 200;

  private GroupChatQuery() {}

  /** Filters of {@code GET /group-chats}; null fields filter nothing. */
  record ListFilter(String owner, String name, String status, Long contactId) {}

  /** {@code GET /group-chats/{chatId}/stats}: the days from {@code from} to {@code to}, both included, in {@code zone}. */
  record StatsRange(LocalDate from, LocalDate to, ZoneId zone) {}

  static ListFilter list(MultiMap params) {
    known(params, Page.paramsWith("owner", "name", "status", "contact_id"));
    String status = params.get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw Problem.invalid("status", "must be one of " + new TreeSet<>(STATUSES));
    }
    return new ListFilter(text(params, "owner"), text(params, "name"), status, Params.positiveId(params, "contact_id"));
  }

  /** {@code member_status} of {@code GET /group-chats/{chatId}}: active members by default. */
  static String memberStatus(MultiMap params) {
    known(params, Page.paramsWith("member_status"));
    String status = params.get("member_status");
    if (status != null && !MEMBER_STATUSES.contains(status)) {
      throw Problem.invalid("member_status", "must be one of " + new TreeSet<>(MEMBER_STATUSES));
    }
    return status == null ? "active" : status;
  }

  /** Defaults: the 30 days up to today, in Siyu's default time zone. */
  static StatsRange stats(MultiMap params, String defaultZone) {
    known(params, Set.of("from", "to", "timezone"));
    ZoneId zone;
    try {
      zone = ZoneId.of(params.get("timezone") != null ? params.get("timezone") : defaultZone);
    } catch (DateTimeException e) {
      throw Problem.invalid("timezone", "must be a time zone name such as Asia/Shanghai");
    }
    LocalDate to = date(params, "to", LocalDate.now(zone));
    LocalDate from = date(params, "from", to.minusDays(29));
    if (from.isAfter(to)) {
      throw Problem.invalid("from", "must not be after to");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_STATS_DAYS) {
      throw Problem.invalid("from", "the range may span at most " + MAX_STATS_DAYS + " days");
    }
    return new StatsRange(from, to, zone);
  }

  private static void known(MultiMap params, Set<String> known) {
    for (String name : params.names()) {
      if (!known.contains(name)) {
        throw Problem.invalid(name, "is not a parameter here; use one of " + new TreeSet<>(known));
      }
    }
  }

  private static LocalDate date(MultiMap params, String name, LocalDate fallback) {
    String s = params.get(name);
    try {
      return s == null ? fallback : LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be a date like 2026-11-01");
    }
  }

  /** A free-text filter: bound as a value, but kept short and free of NUL (PostgreSQL text cannot hold it). */
  private static String text(MultiMap params, String name) {
    String v = params.get(name);
    if (v != null && (v.isBlank() || v.length() > MAX_TEXT || v.indexOf('\u0000') >= 0)) {
      throw Problem.invalid(name, "must be 1 to " + MAX_TEXT + " characters");
    }
    return v;
  }
}
