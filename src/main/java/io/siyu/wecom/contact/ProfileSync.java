package io.siyu.wecom.contact;

import io.siyu.contact.Identities;
import io.siyu.db.Rows;
import io.siyu.wecom.api.WecomClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes a contact from {@code externalcontact/get}: WeCom's name, gender and unionid fill the
 * contact's own fields where they are empty (what the brand knew first wins: a WeChat nickname does
 * not replace a registered name), the rest of WeCom's profile (avatar, corp name, ...) is kept in
 * {@code wecom_external_profiles}, and each staff member's remark and description go on their
 * relation. A unionid another contact already has is left out: that is two records of one person,
 * for someone to merge, not for a callback to decide.
 *
 * <p>The relations' statuses are not taken from the answer: it may be older than a delete the
 * callbacks already reported.
 */
final class ProfileSync {
  private static final String PROFILE = "INSERT INTO wecom_external_profiles (contact_id, external_userid, name, avatar, "
      + "type, gender, unionid, corp_name, corp_full_name, position, fetched_at) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now()) ON CONFLICT (contact_id) DO UPDATE SET "
      + "external_userid = EXCLUDED.external_userid, name = EXCLUDED.name, avatar = EXCLUDED.avatar, type = EXCLUDED.type, "
      + "gender = EXCLUDED.gender, unionid = EXCLUDED.unionid, corp_name = EXCLUDED.corp_name, "
      + "corp_full_name = EXCLUDED.corp_full_name, position = EXCLUDED.position, fetched_at = now()";
  private static final String FILL_CONTACT = "UPDATE contacts c SET name = coalesce(c.name, $2), "
      + "gender = CASE WHEN c.gender = 'unknown' THEN $3 ELSE c.gender END, "
      + "unionid = CASE WHEN c.unionid IS NULL AND NOT EXISTS (SELECT 1 FROM contacts o WHERE o.unionid = $4) "
      + "  THEN $4 ELSE c.unionid END, updated_at = now() "
      + "WHERE c.id = $1 AND (c.name IS NULL OR c.gender = 'unknown' OR c.unionid IS NULL)";
  private static final String FOLLOWS = "UPDATE wecom_follows f SET remark = u.remark, description = u.description, "
      + "add_way = coalesce(f.add_way, u.add_way), added_at = coalesce(f.added_at, to_timestamp(u.createtime)), "
      + "state = coalesce(f.state, u.state), updated_at = now() "
      + "FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[]) "
      + "  AS u(staff, remark, description, add_way, createtime, state) "
      + "WHERE f.contact_id = $1 AND f.staff_userid = u.staff AND f.status IN ('active', 'half')";
  private static final int MAX_NAME = 200;

  private final Pool pool;
  private final WecomClient client;

  /** {@code client}: null when WeCom's customer contact is not configured (then nothing is fetched). */
  ProfileSync(Pool pool, WecomClient client) {
    this.pool = pool;
    this.client = client;
  }

  boolean configured() {
    return client != null;
  }

  /** Fetches the customer's profile and stores it; fails (for a later retry) when WeCom cannot answer. */
  Future<Void> refresh(long contactId, String externalUserId) {
    return client.externalContact(externalUserId)
        .compose(answer -> Rows.retryingRaces(() -> pool.withTransaction(conn -> store(conn, contactId, answer))));
  }

  private Future<Void> store(SqlConnection conn, long contactId, JsonObject answer) {
    JsonObject p = answer.getJsonObject("external_contact", new JsonObject());
    String name = trimmed(p.getString("name"), MAX_NAME);
    Integer gender = p.getInteger("gender");
    String unionid = identity(p.getString("unionid"));
    Tuple profile = Tuple.of(contactId, p.getString("external_userid"), name, p.getString("avatar"), p.getInteger("type"),
        gender).addValue(unionid).addValue(p.getString("corp_name")).addValue(p.getString("corp_full_name"))
        .addValue(p.getString("position"));
    String genderName = gender == null ? "unknown" : switch (gender) {
      case 1 -> "male";
      case 2 -> "female";
      default -> "unknown";
    };
    return conn.preparedQuery(PROFILE).execute(profile)
        .compose(v -> conn.preparedQuery(FILL_CONTACT).execute(Tuple.of(contactId, name, genderName, unionid)))
        .compose(v -> follows(conn, contactId, answer.getJsonArray("follow_user", new JsonArray())))
        .mapEmpty();
  }

  private static Future<?> follows(SqlConnection conn, long contactId, JsonArray followUsers) {
    List<String> staff = new ArrayList<>();
    List<String> remarks = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    List<Integer> addWays = new ArrayList<>();
    List<Long> createTimes = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (Object o : followUsers) {
      if (o instanceof JsonObject f && f.getString("userid") != null) {
        staff.add(f.getString("userid"));
        remarks.add(f.getString("remark"));
        descriptions.add(f.getString("description"));
        addWays.add(f.getInteger("add_way"));
        createTimes.add(f.getLong("createtime"));
        states.add(f.getString("state"));
      }
    }
    if (staff.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(FOLLOWS).execute(Tuple.of(contactId, staff.toArray(String[]::new),
        remarks.toArray(String[]::new), descriptions.toArray(String[]::new), addWays.toArray(Integer[]::new),
        createTimes.toArray(Long[]::new), states.toArray(String[]::new)));
  }

  private static String trimmed(String s, int max) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.strip();
    return t.length() > max ? t.substring(0, max) : t;
  }

  /** WeCom's unionid as a contact identity, or null when it has none (or one Siyu would not take). */
  private static String identity(String unionid) {
    try {
      return unionid == null || unionid.isBlank() ? null : Identities.opaque(unionid);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
