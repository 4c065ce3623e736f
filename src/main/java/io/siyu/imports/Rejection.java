package io.siyu.imports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A line of an upload that was not imported, with every reason: one per bad cell (its column, or
 * its field in NDJSON), and row-level ones (a wrong number of cells, no identity, identities of two
 * contacts) without a field. Whoever fixes the file sees all of them at once.
 */
record Rejection(long lineNo, List<Cause> causes) {

  /** One reason; {@code field} is null when it is about the row as a whole. */
  record Cause(String field, String reason) {}

  /** Thrown while reading a row: the row is rejected for all of {@code causes}. */
  static final class Refused extends IllegalArgumentException {
    private final transient List<Cause> causes;

    Refused(List<Cause> causes) {
      super(summary(causes), null);
      this.causes = List.copyOf(causes);
    }

    Refused(String rowReason) {
      this(List.of(new Cause(null, rowReason)));
    }

    List<Cause> causes() {
      return causes;
    }
  }

  static Rejection ofRow(long lineNo, String reason) {
    return new Rejection(lineNo, List.of(new Cause(null, reason)));
  }

  /** All causes in one line, e.g. {@code mobile is not a valid mobile number; gender must be one of ...}. */
  String summary() {
    return summary(causes);
  }

  /** As stored and answered: {@code [{"field": ..., "reason": ...}]}. */
  JsonArray errorsJson() {
    JsonArray a = new JsonArray();
    causes.forEach(c -> a.add(new JsonObject().put("field", c.field()).put("reason", c.reason())));
    return a;
  }

  private static String summary(List<Cause> causes) {
    return causes.stream().map(c -> c.field() == null ? c.reason() : c.field() + " " + c.reason())
        .collect(Collectors.joining("; "));
  }
}
