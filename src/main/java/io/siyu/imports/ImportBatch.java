package io.siyu.imports;

import io.siyu.contact.ContactInput;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * Up to {@link #CAPACITY} valid rows, merged into {@code contacts} set-wise: COPY into a temp
 * stage, match every row to existing contacts by any identity in one statement, then one UPDATE
 * and one INSERT. Rows naming two different contacts are rejected, like the API's 409.
 */
final class ImportBatch {
  static final int CAPACITY = 5_000;

  static final String CREATE_STAGE = "CREATE TEMP TABLE IF NOT EXISTS import_stage ("
      + "line_no bigint, external_userid text, unionid text, openid text, mobile text, email text, name text, "
      + "gender text, birthday date, timezone text, owner_staff_id text, source text, lifecycle_stage text, "
      + "attributes jsonb, consent jsonb, match_ids bigint[]) ON COMMIT DELETE ROWS";

  private static final String STAGE_COLUMNS = "line_no, external_userid, unionid, openid, mobile, email, name, "
      + "gender, birthday, timezone, owner_staff_id, source, lifecycle_stage, attributes, consent";

  private static final String MATCH = "UPDATE import_stage s SET match_ids = (SELECT array_agg(DISTINCT m.id) FROM ("
      + " SELECT c.id FROM contacts c WHERE c.external_userid = s.external_userid"
      + " UNION ALL SELECT c.id FROM contacts c WHERE c.unionid = s.unionid"
      + " UNION ALL SELECT c.id FROM contacts c WHERE c.openid = s.openid"
      + " UNION ALL SELECT c.id FROM contacts c WHERE c.mobile = s.mobile"
      + " UNION ALL SELECT c.id FROM contacts c WHERE c.email = s.email) m)";

  private static final String REJECT = "INSERT INTO import_rejections (import_id, line_no, reason) "
      + "SELECT ?, line_no, 'identities belong to different contacts: ' || array_to_string(match_ids, ', ') "
      + "FROM import_stage WHERE cardinality(match_ids) > 1 ON CONFLICT DO NOTHING";

  /**
   * One pass updates at most one row per contact; when a file names the same contact twice in a
   * batch (by different identities), later passes apply the later lines, so the last line wins.
   */
  private static final String UPDATE = "UPDATE contacts c SET "
      + "external_userid = coalesce(s.external_userid, c.external_userid), unionid = coalesce(s.unionid, c.unionid), "
      + "openid = coalesce(s.openid, c.openid), mobile = coalesce(s.mobile, c.mobile), "
      + "email = coalesce(s.email, c.email), name = coalesce(s.name, c.name), gender = coalesce(s.gender, c.gender), "
      + "birthday = coalesce(s.birthday, c.birthday), timezone = coalesce(s.timezone, c.timezone), "
      + "owner_staff_id = coalesce(s.owner_staff_id, c.owner_staff_id), source = coalesce(s.source, c.source), "
      + "lifecycle_stage = coalesce(s.lifecycle_stage, c.lifecycle_stage), "
      + "attributes = jsonb_strip_nulls(c.attributes || coalesce(s.attributes, '{}')), "
      + "consent = jsonb_strip_nulls(c.consent || coalesce(s.consent, '{}')), updated_at = now() "
      + "FROM (SELECT *, row_number() OVER (PARTITION BY match_ids[1] ORDER BY line_no) AS pass "
      + "      FROM import_stage WHERE cardinality(match_ids) = 1) s "
      + "WHERE c.id = s.match_ids[1] AND s.pass = ?";

  private static final String INSERT = "INSERT INTO contacts (external_userid, unionid, openid, mobile, email, name, "
      + "gender, birthday, timezone, owner_staff_id, source, lifecycle_stage, attributes, consent) "
      + "SELECT external_userid, unionid, openid, mobile, email, name, coalesce(gender, 'unknown'), birthday, "
      + "coalesce(timezone, ?), owner_staff_id, coalesce(source, 'import'), coalesce(lifecycle_stage, 'new'), "
      + "jsonb_strip_nulls(coalesce(attributes, '{}')), jsonb_strip_nulls(coalesce(consent, '{}')) "
      + "FROM import_stage WHERE match_ids IS NULL ORDER BY line_no";

  private final StringBuilder csv = new StringBuilder(CAPACITY * 200);
  private final Set<String> identities = new HashSet<>();
  private int size;

  /** Counts of one merged batch. */
  record Merged(long inserted, long updated, long rejected) {}

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
    appendRow(lineNo, in);
    size++;
    return true;
  }

  boolean isFull() {
    return size >= CAPACITY;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void clear() {
    csv.setLength(0);
    identities.clear();
    size = 0;
  }

  /** Runs inside the caller's transaction. */
  Merged merge(Connection conn, long importId, String defaultTimezone) throws SQLException {
    conn.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY import_stage (" + STAGE_COLUMNS + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
    try (Statement st = conn.createStatement()) {
      st.execute("ANALYZE import_stage");
      st.executeUpdate(MATCH);
    }
    long rejected = update(conn, REJECT, importId);
    long updated = 0;
    for (int pass = 1; ; pass++) {
      long n = update(conn, UPDATE, pass);
      if (n == 0) {
        break;
      }
      updated += n;
    }
    long inserted;
    try (PreparedStatement ps = conn.prepareStatement(INSERT)) {
      ps.setString(1, defaultTimezone);
      inserted = ps.executeUpdate();
    }
    return new Merged(inserted, updated, rejected);
  }

  private static long update(Connection conn, String sql, Object param) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, param);
      return ps.executeLargeUpdate();
    }
  }

  private void appendRow(long lineNo, ContactInput in) {
    csv.append(lineNo);
    for (String col : List.of("external_userid", "unionid", "openid", "mobile", "email", "name", "gender", "birthday",
        "timezone", "owner_staff_id", "source", "lifecycle_stage")) {
      csv.append(',');
      Object v = in.columns().get(col);
      if (v != null) {
        quote(v.toString());
      }
    }
    json(in.attributes());
    json(in.consent());
    csv.append('\n');
  }

  private void json(JsonObject o) {
    csv.append(',');
    if (o != null) {
      quote(o.encode());
    }
  }

  /** CSV-quotes a value; an unquoted empty field is NULL in COPY's CSV format, a quoted one is not. */
  private void quote(String s) {
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
