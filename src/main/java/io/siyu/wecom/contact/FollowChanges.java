package io.siyu.wecom.contact;

import io.siyu.contact.ContactService;
import io.siyu.db.Rows;
import io.siyu.wecom.channelcode.ChannelCodeEffects;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of {@code change_external_contact} callbacks that happens in one transaction, for a
 * batch of them at once: the contacts (found or created by their {@code external_userid}), the
 * follow relations between customers and staff members, the owner and source of the contacts, and
 * each change's row, which keeps the member event to emit. A change's row is keyed by its
 * callback's id and looked for first, under the contact's lock: a callback handled again finds it
 * and changes nothing — so a replayed add cannot reopen a relation a later delete closed.
 *
 * <p>Set-wise: a batch's contacts are resolved and locked with a few statements, then its changes
 * applied in rounds — the first change of each contact, then the second of each, and so on — each
 * round one read of the relations it changes and one statement per kind of write (relations begun,
 * ended, ...) over arrays of all its rows. No contact is twice in a round, so each change reads the
 * relation the change before it left, in the order the callbacks arrived. Most batches are one round.
 */
final class FollowChanges {
  /** What a change did; {@code completed} when every later step was done before (a replay). */
  record Applied(long callbackId, long contactId, String effect, Long channelCodeId, JsonObject event,
      boolean completed) {
    boolean newRelation() {
      return "added".equals(effect);
    }
  }

  /**
   * One contact's changes run in turn, so each reads the relation the one before it left; in id
   * order, so two batches sharing contacts queue instead of deadlocking (NO KEY UPDATE: journeys
   * entering the contact hold KEY SHARE on it, and may go on).
   */
  private static final String LOCK_CONTACTS = "SELECT id FROM contacts WHERE id = ANY($1::bigint[]) ORDER BY id "
      + "FOR NO KEY UPDATE";
  private static final String STORED = "SELECT callback_id, contact_id, effect, channel_code_id, event::text AS event, "
      + "completed_at IS NOT NULL AS completed FROM wecom_contact_changes WHERE callback_id = ANY($1::bigint[])";
  static final String COMPLETE = "UPDATE wecom_contact_changes SET completed_at = now() "
      + "WHERE callback_id = ANY($1::bigint[]) AND completed_at IS NULL";
  private static final String FOLLOWS = "SELECT f.contact_id, f.staff_userid, f.status, f.added_at, f.channel_code_id "
      + "FROM wecom_follows f JOIN unnest($1::bigint[], $2::text[]) AS u (contact_id, staff) "
      + "  ON f.contact_id = u.contact_id AND f.staff_userid = u.staff";

  /** The writes of a round, each one statement over column arrays, run in this order. */
  private enum Write {
    /** A relation begins (again): whatever the row said before, it is this relation now. */
    BEGIN("INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, state, channel_code_id, added_at) "
        + "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) "
        + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, "
        + "  channel_code_id = EXCLUDED.channel_code_id, added_at = EXCLUDED.added_at, deleted_at = NULL, "
        + "  deleted_by = NULL, delete_source = NULL, updated_at = now()",
        Long.class, String.class, String.class, String.class, Long.class, OffsetDateTime.class),
    /** The staff member accepted a half-added customer. */
    CONFIRM("UPDATE wecom_follows f SET status = 'active', state = coalesce(f.state, u.state), "
        + "channel_code_id = coalesce(f.channel_code_id, u.code), updated_at = now() "
        + "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u (contact_id, staff, state, code) "
        + "WHERE f.contact_id = u.contact_id AND f.staff_userid = u.staff",
        Long.class, String.class, String.class, Long.class),
    /** An edit of a relation from before Siyu listened: it is live, since when is unknown. */
    KNOWN_LIVE("INSERT INTO wecom_follows (contact_id, staff_userid, status) "
        + "SELECT contact_id, staff, 'active' FROM unnest($1::bigint[], $2::text[]) AS u (contact_id, staff) "
        + "ON CONFLICT (contact_id, staff_userid) DO NOTHING",
        Long.class, String.class),
    END("INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, deleted_at, deleted_by, delete_source) "
        + "SELECT contact_id, staff, 'deleted', at, by, source "
        + "FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) "
        + "  AS u (contact_id, staff, at, by, source) "
        + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET status = 'deleted', deleted_at = EXCLUDED.deleted_at, "
        + "  deleted_by = EXCLUDED.deleted_by, delete_source = EXCLUDED.delete_source, updated_at = now()",
        Long.class, String.class, OffsetDateTime.class, String.class, String.class),
    /** The owner's relation ended (after END): another staff member who still has the customer takes over. */
    HAND_OVER("UPDATE contacts c SET owner_staff_id = nxt.staff_userid, updated_at = now() "
        + "FROM unnest($1::bigint[], $2::text[]) AS u (contact_id, staff) "
        + "CROSS JOIN LATERAL (SELECT staff_userid FROM wecom_follows WHERE contact_id = u.contact_id "
        + "  AND staff_userid <> u.staff AND status IN ('active', 'half') ORDER BY added_at NULLS LAST, id LIMIT 1) nxt "
        + "WHERE c.id = u.contact_id AND c.owner_staff_id = u.staff",
        Long.class, String.class),
    TRANSFER_FAILED("INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, transfer_failed_at, "
        + "transfer_fail_reason) SELECT contact_id, staff, 'transfer_failed', at, reason "
        + "FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[]) AS u (contact_id, staff, at, reason) "
        + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET transfer_failed_at = EXCLUDED.transfer_failed_at, "
        + "  transfer_fail_reason = EXCLUDED.transfer_fail_reason, updated_at = now()",
        Long.class, String.class, OffsetDateTime.class, String.class),
    /** The staff member who added the customer looks after them, unless someone already does. */
    CLAIM_OWNER("UPDATE contacts c SET owner_staff_id = coalesce(c.owner_staff_id, u.staff), "
        + "source = coalesce(c.source, u.source), updated_at = now() "
        + "FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u (id, staff, source) "
        + "WHERE c.id = u.id AND (c.owner_staff_id IS NULL OR c.source IS NULL)",
        Long.class, String.class, String.class),
    /** The changes' rows, with what they did and the member event each owes. */
    RECORD("INSERT INTO wecom_contact_changes (callback_id, contact_id, staff_userid, change_type, occurred_at, "
        + "effect, channel_code_id, event) SELECT id, contact_id, staff, type, at, effect, code, event::jsonb "
        + "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], "
        + "  $7::bigint[], $8::text[]) AS r (id, contact_id, staff, type, at, effect, code, event)",
        Long.class, Long.class, String.class, String.class, OffsetDateTime.class, String.class, Long.class,
        String.class);

    final String sql;
    final Class<?>[] columns;

    Write(String sql, Class<?>... columns) {
      this.sql = sql;
      this.columns = columns;
    }
  }

  /** A round's writes, gathered per kind, then one statement per kind. */
  private static final class Writes {
    private final Map<Write, List<Object[]>> rows = new EnumMap<>(Write.class);

    void add(Write write, Object... row) {
      rows.computeIfAbsent(write, w -> new ArrayList<>()).add(row);
    }

    Future<Void> run(SqlConnection conn) {
      Future<Void> done = Future.succeededFuture();
      for (Map.Entry<Write, List<Object[]>> e : rows.entrySet()) {
        done = done.compose(v -> conn.preparedQuery(e.getKey().sql).execute(columns(e.getKey(), e.getValue())).mapEmpty());
      }
      return done;
    }

    /** The rows as one array per column, of the column's type. */
    private static Tuple columns(Write write, List<Object[]> rows) {
      Tuple t = Tuple.tuple();
      for (int c = 0; c < write.columns.length; c++) {
        Object[] column = (Object[]) Array.newInstance(write.columns[c], rows.size());
        for (int r = 0; r < rows.size(); r++) {
          column[r] = rows.get(r)[c];
        }
        t.addValue(column);
      }
      return t;
    }
  }

  /** A relation as it was before a change. */
  private record Follow(String status, OffsetDateTime addedAt, Long channelCodeId) {
    boolean live() {
      return "active".equals(status) || "half".equals(status);
    }
  }

  private final Pool pool;
  private final ContactService contacts;
  private final ChannelCodeEffects codes;

  FollowChanges(Pool pool, ContactService contacts, ChannelCodeEffects codes) {
    this.pool = pool;
    this.contacts = contacts;
    this.codes = codes;
  }

  /** The changes (of distinct callbacks, in the order they arrived) in one transaction; what each did, in that order. */
  Future<List<Applied>> apply(List<ContactChange> changes) {
    return Rows.retryingRaces(() -> pool.withTransaction(conn -> apply(conn, changes)));
  }

  /** Every later step is done: a replay of these callbacks does nothing. */
  Future<Void> complete(List<Long> callbackIds) {
    return callbackIds.isEmpty() ? Future.succeededFuture()
        : pool.preparedQuery(COMPLETE).execute(Tuple.of(callbackIds.toArray(Long[]::new))).mapEmpty();
  }

  private Future<List<Applied>> apply(SqlConnection conn, List<ContactChange> changes) {
    Applied[] applied = new Applied[changes.size()];
    return contacts.resolveExternalUserIds(conn, changes.stream().map(ContactChange::externalUserId).toList())
        .compose(contactIds -> conn.preparedQuery(LOCK_CONTACTS)
            .execute(Tuple.of(contactIds.values().stream().distinct().sorted().toArray(Long[]::new)))
            .compose(locked -> stored(conn, changes, applied))
            .compose(v -> codes.idsByState(conn, changes.stream().filter(c -> c.isAdd() && c.state() != null)
                .map(ContactChange::state).toList()))
            .compose(codeIds -> {
              Future<Void> done = Future.succeededFuture();
              for (List<Integer> round : rounds(changes, contactIds, applied)) {
                done = done.compose(v -> round(conn, round, changes, contactIds, codeIds, applied));
              }
              return done;
            }))
        .map(v -> Arrays.asList(applied));
  }

  /** Fills in the changes handled before: they replay what they recorded. */
  private static Future<Void> stored(SqlConnection conn, List<ContactChange> changes, Applied[] applied) {
    Long[] ids = changes.stream().map(ContactChange::callbackId).toArray(Long[]::new);
    return conn.preparedQuery(STORED).execute(Tuple.of(ids)).map(rows -> {
      Map<Long, Applied> byId = new HashMap<>();
      for (Row r : rows) {
        long id = r.getLong("callback_id");
        byId.put(id, new Applied(id, r.getLong("contact_id"), r.getString("effect"), r.getLong("channel_code_id"),
            new JsonObject(r.getString("event")), r.getBoolean("completed")));
      }
      for (int i = 0; i < applied.length; i++) {
        applied[i] = byId.get(changes.get(i).callbackId());
      }
      return null;
    });
  }

  /** The indexes of the new changes, by round: the n-th round holds each contact's n-th change. */
  private static List<List<Integer>> rounds(List<ContactChange> changes, Map<String, Long> contactIds,
      Applied[] applied) {
    List<List<Integer>> rounds = new ArrayList<>();
    Map<Long, Integer> seen = new HashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      if (applied[i] == null) {
        int round = seen.merge(contactIds.get(changes.get(i).externalUserId()), 1, Integer::sum) - 1;
        if (round == rounds.size()) {
          rounds.add(new ArrayList<>());
        }
        rounds.get(round).add(i);
      }
    }
    return rounds;
  }

  private Future<Void> round(SqlConnection conn, List<Integer> round, List<ContactChange> changes,
      Map<String, Long> contactIds, Map<String, Long> codeIds, Applied[] applied) {
    Long[] contactColumn = round.stream().map(i -> contactIds.get(changes.get(i).externalUserId())).toArray(Long[]::new);
    String[] staffColumn = round.stream().map(i -> changes.get(i).staff()).toArray(String[]::new);
    // not Tuple.of: it would take the second array for its varargs
    return conn.preparedQuery(FOLLOWS).execute(Tuple.tuple().addValue(contactColumn).addValue(staffColumn)).compose(rows -> {
      Map<Long, Map<String, Follow>> follows = new HashMap<>();
      rows.forEach(r -> follows.computeIfAbsent(r.getLong("contact_id"), k -> new HashMap<>()).put(
          r.getString("staff_userid"), new Follow(r.getString("status"), r.getOffsetDateTime("added_at"),
              r.getLong("channel_code_id"))));
      Writes writes = new Writes();
      for (int i : round) {
        ContactChange c = changes.get(i);
        long contactId = contactIds.get(c.externalUserId());
        applied[i] = change(c, contactId, follows.getOrDefault(contactId, Map.of()).get(c.staff()), codeIds, writes);
        writes.add(Write.RECORD, c.callbackId(), contactId, c.staff(), c.changeType(), utc(c.occurredAt()),
            applied[i].effect(), applied[i].channelCodeId(), applied[i].event().encode());
      }
      return writes.run(conn);
    });
  }

  /**
   * The relation's change for this callback, given the relation as it was ({@code follow}, null
   * when none): what it did, with its writes added to {@code writes}.
   */
  private static Applied change(ContactChange c, long contactId, Follow follow, Map<String, Long> codeIds,
      Writes writes) {
    String status = follow == null ? null : follow.status();
    boolean live = follow != null && follow.live();
    OffsetDateTime at = utc(c.occurredAt());
    JsonObject props = new JsonObject().put("staff", c.staff()).put("external_userid", c.externalUserId());
    switch (c.changeType()) {
      case ContactChange.ADD, ContactChange.HALF_ADD -> {
        Long codeId = c.state() == null ? null : codeIds.get(c.state());
        boolean half = c.changeType().equals(ContactChange.HALF_ADD);
        String effect = !live ? "added" : "half".equals(status) && !half ? "confirmed" : "repeated";
        if (effect.equals("added")) {
          writes.add(Write.BEGIN, contactId, c.staff(), half ? "half" : "active", c.state(), codeId, at);
        } else if (effect.equals("confirmed")) {
          writes.add(Write.CONFIRM, contactId, c.staff(), c.state(), codeId);
        }
        writes.add(Write.CLAIM_OWNER, contactId, c.staff(),
            codeId == null ? "wecom" : ChannelCodeEffects.source(codeId));
        putIfSet(props, "state", c.state());
        putIfSet(props, "channel_code_id", codeId);
        putIfSet(props, "welcome_code", c.welcomeCode());
        if (c.welcomeCode() != null) {
          props.put("welcome_code_at", c.receivedAt().toString());
        }
        props.put("new_relation", effect.equals("added"));
        return applied(c, contactId, effect, codeId, half ? "wecom.contact_half_added" : "wecom.contact_added", props);
      }
      case ContactChange.EDIT -> {
        writes.add(Write.KNOWN_LIVE, contactId, c.staff());
        return applied(c, contactId, "edited", null, "wecom.contact_edited", props);
      }
      case ContactChange.DELETE_BY_STAFF, ContactChange.DELETE_BY_CUSTOMER -> {
        boolean byStaff = c.changeType().equals(ContactChange.DELETE_BY_STAFF);
        String effect = live ? (byStaff ? "deleted_by_staff" : "deleted_by_customer") : "already_gone";
        Long codeId = follow == null ? null : follow.channelCodeId();
        putIfSet(props, "channel_code_id", codeId);
        putIfSet(props, "source", c.source());
        if (live) {
          relationLength(props, follow.addedAt(), c.occurredAt());
        }
        // a relation that is not live stays as it is; one Siyu never saw is recorded ended
        if (status == null || live) {
          writes.add(Write.END, contactId, c.staff(), at, byStaff ? "staff" : "customer", c.source());
          writes.add(Write.HAND_OVER, contactId, c.staff());
        }
        return applied(c, contactId, effect, codeId, byStaff ? "wecom.contact_deleted" : "wecom.contact_lost", props);
      }
      case ContactChange.TRANSFER_FAIL -> {
        putIfSet(props, "fail_reason", c.failReason());
        writes.add(Write.TRANSFER_FAILED, contactId, c.staff(), at, c.failReason());
        return applied(c, contactId, "transfer_failed", null, "wecom.transfer_failed", props);
      }
      default -> throw new IllegalStateException("no handling for " + c.changeType());
    }
  }

  private static Applied applied(ContactChange c, long contactId, String effect, Long codeId, String type,
      JsonObject properties) {
    JsonObject event = new JsonObject().put("id", c.eventId()).put("type", type).put("contact_id", contactId)
        .put("occurred_at", c.occurredAt().toString()).put("properties", properties).put("source", "wecom");
    return new Applied(c.callbackId(), contactId, effect, codeId, event, false);
  }

  /** How long the relation lasted, for churn alerts (流失提醒): unknown when it began before Siyu listened. */
  private static void relationLength(JsonObject props, OffsetDateTime addedAt, Instant endedAt) {
    if (addedAt == null) {
      return;
    }
    Duration lasted = Duration.between(addedAt.toInstant(), endedAt);
    props.put("added_at", addedAt.toInstant().toString()).put("lasted_seconds", lasted.toSeconds())
        .put("lasted_days", lasted.toDays());
  }

  private static void putIfSet(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
