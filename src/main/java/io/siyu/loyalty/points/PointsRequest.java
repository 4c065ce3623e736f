package io.siyu.loyalty.points;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** A validated earn or redeem request: {@code {"points": 100, "reason": "...", "key": "..."}}. */
public record PointsRequest(int points, String reason, String key, OffsetDateTime expiresAt) {
  static final int MAX_POINTS = 100_000_000;

  static PointsRequest parse(JsonObject body, boolean earning) {
    JsonArray errors = new JsonArray();
    Set<String> allowed = earning ? Set.of("points", "reason", "key", "expires_at") : Set.of("points", "reason", "key");
    body.fieldNames().stream().filter(k -> !allowed.contains(k))
        .forEach(k -> errors.add(Problem.fieldError(k, "is not a field of this request")));
    Object p = body.getValue("points");
    if (!(p instanceof Integer || p instanceof Long) || ((Number) p).longValue() < 1
        || ((Number) p).longValue() > MAX_POINTS) {
      errors.add(Problem.fieldError("points", "must be a whole number from 1 to " + MAX_POINTS));
    }
    String reason = text(body, "reason", 200, errors);
    String key = io.siyu.web.JsonValues.key(body.getValue("key"), "key", 200, errors);
    OffsetDateTime expires = null;
    if (body.getValue("expires_at") != null) {
      try {
        expires = OffsetDateTime.parse(body.getString("expires_at"));
        if (!expires.isAfter(OffsetDateTime.now())) {
          errors.add(Problem.fieldError("expires_at", "must be in the future"));
        }
      } catch (ClassCastException | DateTimeParseException e) {
        errors.add(Problem.fieldError("expires_at", "must be a timestamp like 2027-12-31T23:59:59+08:00"));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new PointsRequest(((Number) p).intValue(), reason, key, expires);
  }

  private static String text(JsonObject body, String field, int max, JsonArray errors) {
    if (!(body.getValue(field) instanceof String s) || s.isBlank() || s.length() > max) {
      errors.add(Problem.fieldError(field, "is required, 1 to " + max + " characters"));
      return null;
    }
    return s;
  }
}
