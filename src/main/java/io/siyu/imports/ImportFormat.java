package io.siyu.imports;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.contact.ContactInput;
import io.siyu.contact.Identities;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The two upload formats and what a CSV header may name. */
public enum ImportFormat {
  CSV("csv"), NDJSON("ndjson");

  private static final Pattern CHANNEL = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

  final String wire;

  ImportFormat(String wire) {
    this.wire = wire;
  }

  /** From a Content-Type header; null when it is neither CSV nor NDJSON. */
  static ImportFormat fromContentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String ct = contentType.toLowerCase(java.util.Locale.ROOT);
    if (ct.startsWith("text/csv")) {
      return CSV;
    }
    if (ct.startsWith("application/x-ndjson") || ct.startsWith("application/ndjson")
        || ct.startsWith("application/jsonl")) {
      return NDJSON;
    }
    return null;
  }

  static ImportFormat fromWire(String s) {
    return "csv".equals(s) ? CSV : NDJSON;
  }

  /**
   * The problems with a CSV header: unknown or repeated columns, undeclared attributes, no identity
   * column. Empty when the header is usable.
   */
  static List<String> headerProblems(List<String> header, Map<String, AttributeDefinition> catalog) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean hasIdentity = false;
    for (String col : header) {
      if (!seen.add(col)) {
        problems.add("column " + col + " appears twice");
      } else if (col.startsWith("attributes.")) {
        if (!catalog.containsKey(col.substring("attributes.".length()))) {
          problems.add("column " + col + " names an attribute that is not declared");
        }
      } else if (col.startsWith("consent.")) {
        if (!CHANNEL.matcher(col.substring("consent.".length())).matches()) {
          problems.add("column " + col + " does not name a channel");
        }
      } else if (!ContactInput.WRITABLE.contains(col)) {
        problems.add("column " + col + " is not a contact field");
      }
      hasIdentity |= Identities.KEYS.contains(col);
    }
    if (!hasIdentity) {
      problems.add("no identity column: add at least one of " + String.join(", ", Identities.KEYS));
    }
    return problems;
  }
}
