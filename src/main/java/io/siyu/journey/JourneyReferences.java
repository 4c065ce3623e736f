package io.siyu.journey;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What a journey names that must exist when it is deployed: the templates its sends use, the
 * rights it grants, the tag groups it tags in (tags themselves are made on first use), the
 * attributes it sets and the segment its trigger reads. A name that does not exist is a problem
 * of the element naming it, found with one query, so a typo fails the upload rather than every
 * contact's step later.
 */
final class JourneyReferences {
  /** One name an element uses, of a kind listed in {@link #SQL}. */
  record Reference(String element, Kind kind, String value) {}

  enum Kind {
    TEMPLATE("template", "GET /api/v1/templates lists them"),
    RIGHT("right", "GET /api/v1/rights lists the catalogue"),
    TAG_GROUP("tag group", "create it with POST /api/v1/tag-groups"),
    ATTRIBUTE("attribute", "declare it with POST /api/v1/attributes"),
    SEGMENT("segment", "GET /api/v1/segments lists them");

    final String noun;
    final String hint;

    Kind(String noun, String hint) {
      this.noun = noun;
      this.hint = hint;
    }
  }

  /** The names of each kind that exist, among those asked for (one array per kind, in {@link Kind} order). */
  private static final String SQL = "SELECT 'TEMPLATE' AS kind, key AS name FROM templates WHERE key = ANY (?) "
      + "UNION ALL SELECT 'RIGHT', code FROM rights WHERE code = ANY (?) "
      + "UNION ALL SELECT 'TAG_GROUP', name FROM tag_groups WHERE name = ANY (?) "
      + "UNION ALL SELECT 'ATTRIBUTE', key FROM attribute_definitions WHERE key = ANY (?) "
      + "UNION ALL SELECT 'SEGMENT', id::text FROM segments WHERE id::text = ANY (?)";

  private final DataSource jdbc;

  JourneyReferences(DataSource jdbc) {
    this.jdbc = jdbc;
  }

  /** Blocking: a problem for each reference that names nothing. */
  List<JsonObject> missing(List<Reference> references) throws SQLException {
    if (references.isEmpty()) {
      return List.of();
    }
    Set<String> found = new HashSet<>();
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(SQL)) {
      for (Kind kind : Kind.values()) {
        String[] names = references.stream().filter(r -> r.kind() == kind).map(Reference::value).distinct().toArray(String[]::new);
        st.setArray(kind.ordinal() + 1, c.createArrayOf("text", names));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1) + "/" + rs.getString(2));
        }
      }
    }
    List<JsonObject> problems = new ArrayList<>();
    for (Reference r : references) {
      if (!found.contains(r.kind().name() + "/" + r.value())) {
        problems.add(Trigger.problem(r.element(), r.kind().noun + " " + r.value() + " does not exist (" + r.kind().hint + ")"));
      }
    }
    return problems;
  }
}
