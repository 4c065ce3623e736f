package io.siyu.loyalty.rights;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code {"right": "<code>", "grant_key": "<idempotency key>", "reason": "..."}}: the body of a
 * grant. The key is the caller's (a journey step, an order id): the same key never grants twice.
 */
record GrantRequest(String right, String grantKey, String reason) {
  static final int MAX_KEY = 200;
  static final int MAX_REASON = 500;

  static GrantRequest parse(JsonObject body) {
    JsonArray errors = new JsonArray();
    for (String field : body.fieldNames()) {
      if (!java.util.Set.of("right", "grant_key", "reason").contains(field)) {
        errors.add(Problem.fieldError(field, "is not a field of a grant"));
      }
    }
    String right = body.getValue("right") instanceof String s ? s : null;
    if (right == null || right.isEmpty()) {
      errors.add(Problem.fieldError("right", "is required: the code of the right to grant"));
    }
    String key = io.siyu.web.JsonValues.key(body.getValue("grant_key"), "grant_key", MAX_KEY, errors);
    Object reason = body.getValue("reason");
    if (reason != null && (!(reason instanceof String s) || s.length() > MAX_REASON)) {
      errors.add(Problem.fieldError("reason", "must be a string of at most " + MAX_REASON + " characters"));
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new GrantRequest(right, key, (String) reason);
  }
}
