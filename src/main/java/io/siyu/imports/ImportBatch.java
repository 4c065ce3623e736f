package io.siyu.imports;

import io.siyu.contact.ContactInput;
import io.siyu.contact.Identities;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * Up to {@link #CAPACITY} valid rows, merged into {@code contacts} with as few passes over the
 * data as possible: one indexed lookup finds the existing contacts the rows name, new contacts
 * are COPYed straight into {@code contacts}, and only rows naming an existing contact go through a
 * temp stage and one UPDATE. Rows naming two different contacts are rejected, like the API's 409.
 */
final class ImportBatch {
  static final int CAPACITY = 10_000;

  /** The columns an import writes, in COPY order. */
  private static final List<String> COLUMNS = List.of("external_userid", "unionid", "openid", "mobile", "email",
      "name", "gender", "birthday", "timezone", "owner_staff_id", "source", "lifecycle_stage", "locale");

  static final String CREATE_STAGE = "CREATE TEMP TABLE IF NOT EXISTS import_stage (contact_id bigint, line_no bigint, "
      + "external_userid text, unionid text, openid text, mobile text, email text, name text, gender text, "
      + "birthday date, timezone text, owner_staff_id text, source text, lifecycle_stage text, "
      + "locale text, attributes jsonb, consent jsonb) ON COMMIT DELETE ROWS";

  /**
   * One pass updates at most one row per contact; when a file names the same contact twice in a
   * batch (by different identities), later passes apply the later lines, so the last line wins.
   * An empty cell is NULL in the stage and keeps the stored value.
   */
  private static final String UPDATE = "UPDATE contacts c SET "
      + "external_userid = coalesce(s.external_userid, c.external_userid), unionid = coalesce(s.unionid, c.unionid), "
      + "openid = coalesce(s.openid, c.openid), mobile = coalesce(s.mobile, c.mobile), "
      + "email = coalesce(s.email, c.email), name = coalesce(s.name, c.name), gender = coalesce(s.gender, c.gender), "
      + "birthday = coalesce(s.birthday, c.birthday), timezone = coalesce(s.timezone, c.timezone), "
      + "owner_staff_id = coalesce(s.owner_staff_id, c.owner_staff_id), source = coalesce(s.source, c.source), "
      + "lifecycle_stage = coalesce(s.lifecycle_stage, c.lifecycle_stage), locale = coalesce(s.locale, c.locale), "
      + "attributes = jsonb_strip_nulls(c.attributes || coalesce(s.attributes, '{}')), "
      + "consent = jsonb_strip_nulls(c.consent || coalesce(s.consent, '{}')), updated_at = now() "
      + "FROM (SELECT *, row_number() OVER (PARTITION BY contact_id ORDER BY line_no) AS pass FROM import_stage) s "
      + "WHERE c.id = s.contact_id AND s.pass = ?";
  private static final String COPY_NEW = "COPY contacts (" + String.join(", ", COLUMNS) + ", attributes, consent) "
      + "FROM STDIN WITH (FORMAT csv)";
  private static final String COPY_STAGED = "COPY import_stage (contact_id, line_no, " + String.join(", ", COLUMNS)
      + ", attributes, consent) FROM STDIN WITH (FORMAT csv)";

  private record Row(long lineNo, ContactInput input) {}

  private final List<Row> rows = new ArrayList<>(CAPACITY);
  private final Set<String> identities = new HashSet<>();

  /** Counts of one merged batch, and the rows rejected because they name two contacts. */
  record Merged(long inserted, long updated, List<Rejection> conflicts) {}

  /**
   * False when the row repeats an identity already in this batch: the caller merges first, so
   * that the earlier line is in the table and the later one finds it as an update.
   */
  boolean add(long lineNo, ContactInput in) {
    List<String> keys = new ArrayList<>();
    in.identities().forEach((k, v) -> keys.add(k + ":" + v));
    if (keys.stream().anyMatch(identities::contains)) {
      return false;
    }
    identities.addAll(keys);
    rows.add(new Row(lineNo, in));
    return true;
  }

  boolean isFull() {
    return rows.size() >= CAPACITY;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Runs inside the caller's transaction. */
  Merged merge(Connection conn, String defaultTimezone) throws SQLException {
    Map<String, Long> owners = existingOwners(conn);
    List<Row> fresh = new ArrayList<>();
    StringBuilder updates = new StringBuilder();
    List<Rejection> conflicts = new ArrayList<>();
    for (Row row : rows) {
      Set<Long> matched = new LinkedHashSet<>();
      row.input().identities().forEach((k, v) -> {
        Long owner = owners.get(k + ":" + v);
        if (owner != null) {
          matched.add(owner);
        }
      });
      if (matched.isEmpty()) {
        fresh.add(row);
      } else if (matched.size() == 1) {
        updates.append(matched.iterator().next()).append(',').append(row.lineNo());
        appendColumns(updates, row.input(), null, true);
      } else {
        conflicts.add(Rejection.ofRow(row.lineNo(), "identities belong to different contacts: " + matched));
      }
    }
    long inserted = insert(conn, fresh, defaultTimezone);
    long updated = updates.isEmpty() ? 0 : update(conn, updates);
    return new Merged(inserted, updated, conflicts);
  }

  /** "key:value" → contact id for every identity in this batch that some contact already has. */
  private Map<String, Long> existingOwners(Connection conn) throws SQLException {
    Map<String, List<String>> valuesByKey = new HashMap<>();
    for (Row row : rows) {
      row.input().identities().forEach((k, v) -> valuesByKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    List<String> keys = Identities.KEYS.stream().filter(valuesByKey::containsKey).toList(); // whitelisted names
    Map<String, Long> owners = new HashMap<>();
    if (keys.isEmpty()) {
      return owners;
    }
    // one index scan per identity column; an OR of the same conditions makes the planner scan the table
    String cols = String.join(", ", Identities.KEYS);
    String sql = String.join(" UNION ALL ", keys.stream()
        .map(k -> "SELECT id, " + cols + " FROM contacts WHERE " + k + " = ANY(?)").toList());
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < keys.size(); i++) {
        Array array = conn.createArrayOf("text", valuesByKey.get(keys.get(i)).toArray());
        ps.setArray(i + 1, array);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (String k : Identities.KEYS) {
            String v = rs.getString(k);
            if (v != null) {
              owners.put(k + ":" + v, rs.getLong("id"));
            }
          }
        }
      }
    }
    return owners;
  }

  /** New contacts go straight into the table with COPY, defaults filled in here. */
  private static long insert(Connection conn, List<Row> fresh, String defaultTimezone) throws SQLException {
    if (fresh.isEmpty()) {
      return 0;
    }
    StringBuilder csv = new StringBuilder(fresh.size() * 200);
    for (Row row : fresh) {
      appendColumns(csv, row.input(), defaultTimezone, false);
    }
    return copy(conn, COPY_NEW, csv.toString());
  }

  /** Rows naming one existing contact: staged (emptied again at commit), then applied pass by pass. */
  private static long update(Connection conn, StringBuilder staged) throws SQLException {
    copy(conn, COPY_STAGED, staged.toString());
    long updated = 0;
    try (PreparedStatement ps = conn.prepareStatement(UPDATE)) {
      for (int pass = 1; ; pass++) {
        ps.setInt(1, pass);
        long n = ps.executeLargeUpdate();
        if (n == 0) {
          return updated;
        }
        updated += n;
      }
    }
  }

  private static long copy(Connection conn, String sql, String csv) throws SQLException {
    try {
      return conn.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv));
    } catch (IOException e) {
      throw new SQLException("COPY failed: " + e.getMessage(), e);
    }
  }

  /**
   * The rest of one CSV record, ending in a newline; {@code afterPrefix} when the caller already
   * wrote leading fields. With a {@code defaultTimezone} the record is a new contact and gets the
   * table's defaults; without, absent fields stay NULL so the update keeps stored values.
   */
  private static void appendColumns(StringBuilder csv, ContactInput in, String defaultTimezone, boolean afterPrefix) {
    boolean fresh = defaultTimezone != null;
    boolean first = !afterPrefix;
    for (String col : COLUMNS) {
      if (!first) {
        csv.append(',');
      }
      first = false;
      Object v = in.columns().get(col);
      if (v == null && fresh) {
        v = switch (col) {
          case "gender" -> "unknown";
          case "timezone" -> defaultTimezone;
          case "source" -> "import";
          case "lifecycle_stage" -> "new";
          default -> null;
        };
      }
      if (v != null) {
        quote(csv, v.toString());
      }
    }
    json(csv, in.attributes(), fresh);
    json(csv, in.consent(), fresh);
    csv.append('\n');
  }

  private static void json(StringBuilder csv, JsonObject o, boolean fresh) {
    csv.append(',');
    if (o != null) {
      JsonObject stripped = o.copy();
      stripped.getMap().values().removeIf(java.util.Objects::isNull);
      quote(csv, stripped.encode());
    } else if (fresh) {
      csv.append("{}");
    }
  }

  /** CSV-quotes a value; an unquoted empty field is NULL in COPY's CSV format, a quoted one is not. */
  private static void quote(StringBuilder csv, String s) {
    csv.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"') {
        csv.append('"');
      }
      csv.append(ch);
    }
    csv.append('"');
  }
}
