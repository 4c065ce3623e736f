package io.siyu.wecom.contact;

import io.siyu.contact.ContactInput;
import io.siyu.contact.ContactService;
import io.siyu.db.Rows;
import io.siyu.wecom.channelcode.ChannelCodeEffects;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The part of a {@code change_external_contact} callback that happens in one transaction: the
 * contact (found or created by its {@code external_userid}), the follow relation between the
 * customer and the staff member, the owner and source of the contact, and the change's row, which
 * keeps the member event to emit. The change's row is claimed first, by the callback's id: a
 * callback handled again finds it and changes nothing — so a replayed add cannot reopen a relation
 * a later delete closed.
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
   * One contact's changes run in turn, so each reads the relation the one before it left (NO KEY
   * UPDATE: journeys entering the contact hold KEY SHARE on it, and may go on).
   */
  private static final String LOCK_CONTACT = "SELECT id FROM contacts WHERE id = $1 FOR NO KEY UPDATE";
  private static final String CLAIM = "INSERT INTO wecom_contact_changes (callback_id, contact_id, staff_userid, "
      + "change_type, occurred_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (callback_id) DO NOTHING RETURNING callback_id";
  private static final String RECORD = "UPDATE wecom_contact_changes SET effect = $2, channel_code_id = $3, "
      + "event = $4::text::jsonb WHERE callback_id = $1";
  private static final String STORED = "SELECT contact_id, effect, channel_code_id, event::text AS event, "
      + "completed_at IS NOT NULL AS completed FROM wecom_contact_changes WHERE callback_id = $1";
  static final String COMPLETE = "UPDATE wecom_contact_changes SET completed_at = now() "
      + "WHERE callback_id = $1 AND completed_at IS NULL";

  private static final String FOLLOW = "SELECT status, added_at, channel_code_id FROM wecom_follows "
      + "WHERE contact_id = $1 AND staff_userid = $2";
  /** A relation begins (again): whatever the row said before, it is this relation now. */
  private static final String BEGIN = "INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, state, "
      + "channel_code_id, added_at) VALUES ($1, $2, $3, $4, $5, $6) "
      + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, "
      + "  channel_code_id = EXCLUDED.channel_code_id, added_at = EXCLUDED.added_at, deleted_at = NULL, "
      + "  deleted_by = NULL, delete_source = NULL, updated_at = now()";
  /** The staff member accepted a half-added customer. */
  private static final String CONFIRM = "UPDATE wecom_follows SET status = 'active', state = coalesce(state, $3), "
      + "channel_code_id = coalesce(channel_code_id, $4), updated_at = now() WHERE contact_id = $1 AND staff_userid = $2";
  /** An edit of a relation from before Siyu listened: it is live, since when is unknown. */
  private static final String KNOWN_LIVE = "INSERT INTO wecom_follows (contact_id, staff_userid, status) "
      + "VALUES ($1, $2, 'active') ON CONFLICT (contact_id, staff_userid) DO NOTHING";
  private static final String END = "INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, deleted_at, "
      + "deleted_by, delete_source) VALUES ($1, $2, 'deleted', $3, $4, $5) "
      + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET status = 'deleted', deleted_at = EXCLUDED.deleted_at, "
      + "  deleted_by = EXCLUDED.deleted_by, delete_source = EXCLUDED.delete_source, updated_at = now()";
  private static final String TRANSFER_FAILED = "INSERT INTO wecom_follows AS f (contact_id, staff_userid, status, "
      + "transfer_failed_at, transfer_fail_reason) VALUES ($1, $2, 'transfer_failed', $3, $4) "
      + "ON CONFLICT (contact_id, staff_userid) DO UPDATE SET transfer_failed_at = EXCLUDED.transfer_failed_at, "
      + "  transfer_fail_reason = EXCLUDED.transfer_fail_reason, updated_at = now()";

  /** The staff member who added the customer looks after them, unless someone already does. */
  private static final String CLAIM_OWNER = "UPDATE contacts SET owner_staff_id = coalesce(owner_staff_id, $2), "
      + "source = coalesce(source, $3), updated_at = now() WHERE id = $1 AND (owner_staff_id IS NULL OR source IS NULL)";
  /** The owner's relation ended: another staff member who still has the customer takes over. */
  private static final String HAND_OVER = "UPDATE contacts c SET owner_staff_id = nxt.staff_userid, updated_at = now() "
      + "FROM (SELECT staff_userid FROM wecom_follows WHERE contact_id = $1 AND staff_userid <> $2 "
      + "  AND status IN ('active', 'half') ORDER BY added_at NULLS LAST, id LIMIT 1) nxt "
      + "WHERE c.id = $1 AND c.owner_staff_id = $2";

  private final Pool pool;
  private final ContactService contacts;
  private final ChannelCodeEffects codes;

  FollowChanges(Pool pool, ContactService contacts, ChannelCodeEffects codes) {
    this.pool = pool;
    this.contacts = contacts;
    this.codes = codes;
  }

  Future<Applied> apply(ContactChange change) {
    return contacts.parse(new JsonObject().put("external_userid", change.externalUserId()))
        .compose(in -> Rows.retryingRaces(() -> pool.withTransaction(conn -> apply(conn, in, change))));
  }

  /** Every later step is done: a replay of this callback does nothing. */
  Future<Void> complete(long callbackId) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(callbackId)).mapEmpty();
  }

  private Future<Applied> apply(SqlConnection conn, ContactInput customer, ContactChange change) {
    return contacts.resolve(conn, customer, true, "ExternalUserID").compose(contactId -> conn.preparedQuery(LOCK_CONTACT)
        .execute(Tuple.of(contactId))
        .compose(locked -> conn.preparedQuery(CLAIM).execute(Tuple.of(change.callbackId(), contactId, change.staff(),
            change.changeType(), utc(change.occurredAt()))))
        .compose(claimed -> claimed.size() == 0 ? stored(conn, change.callbackId())
            : conn.preparedQuery(FOLLOW).execute(Tuple.of(contactId, change.staff()))
                .compose(rows -> change(conn, contactId, change, rows.size() == 0 ? null : rows.iterator().next()))
                .compose(applied -> conn.preparedQuery(RECORD).execute(Tuple.of(change.callbackId(), applied.effect(),
                    applied.channelCodeId(), applied.event().encode())).map(applied))));
  }

  private Future<Applied> stored(SqlConnection conn, long callbackId) {
    return conn.preparedQuery(STORED).execute(Tuple.of(callbackId)).map(rows -> {
      Row r = rows.iterator().next();
      return new Applied(callbackId, r.getLong("contact_id"), r.getString("effect"), r.getLong("channel_code_id"),
          new JsonObject(r.getString("event")), r.getBoolean("completed"));
    });
  }

  /** The relation's change for this callback, given the relation as it was ({@code follow}, null when none). */
  private Future<Applied> change(SqlConnection conn, long contactId, ContactChange c, Row follow) {
    String status = follow == null ? null : follow.getString("status");
    boolean live = "active".equals(status) || "half".equals(status);
    JsonObject props = new JsonObject().put("staff", c.staff()).put("external_userid", c.externalUserId());
    return switch (c.changeType()) {
      case ContactChange.ADD, ContactChange.HALF_ADD -> codes.idByState(conn, c.state()).compose(codeId -> {
        boolean half = c.changeType().equals(ContactChange.HALF_ADD);
        String effect = !live ? "added" : "half".equals(status) && !half ? "confirmed" : "repeated";
        Future<?> write = switch (effect) {
          case "added" -> conn.preparedQuery(BEGIN).execute(Tuple.of(contactId, c.staff(), half ? "half" : "active",
              c.state(), codeId, utc(c.occurredAt())));
          case "confirmed" -> conn.preparedQuery(CONFIRM).execute(Tuple.of(contactId, c.staff(), c.state(), codeId));
          default -> Future.succeededFuture();
        };
        putIfSet(props, "state", c.state());
        putIfSet(props, "channel_code_id", codeId);
        putIfSet(props, "welcome_code", c.welcomeCode());
        if (c.welcomeCode() != null) {
          props.put("welcome_code_at", c.receivedAt().toString());
        }
        props.put("new_relation", effect.equals("added"));
        String source = codeId == null ? "wecom" : ChannelCodeEffects.source(codeId);
        return write.compose(w -> conn.preparedQuery(CLAIM_OWNER).execute(Tuple.of(contactId, c.staff(), source)))
            .map(w -> applied(c, contactId, effect, codeId, half ? "wecom.contact_half_added" : "wecom.contact_added", props));
      });
      case ContactChange.EDIT -> conn.preparedQuery(KNOWN_LIVE).execute(Tuple.of(contactId, c.staff()))
          .map(w -> applied(c, contactId, "edited", null, "wecom.contact_edited", props));
      case ContactChange.DELETE_BY_STAFF, ContactChange.DELETE_BY_CUSTOMER -> {
        boolean byStaff = c.changeType().equals(ContactChange.DELETE_BY_STAFF);
        String effect = live ? (byStaff ? "deleted_by_staff" : "deleted_by_customer") : "already_gone";
        Long codeId = follow == null ? null : follow.getLong("channel_code_id");
        putIfSet(props, "channel_code_id", codeId);
        putIfSet(props, "source", c.source());
        if (live) {
          relationLength(props, follow.getOffsetDateTime("added_at"), c.occurredAt());
        }
        Future<?> write = status != null && !live ? Future.succeededFuture()
            : conn.preparedQuery(END).execute(Tuple.of(contactId, c.staff(), utc(c.occurredAt()),
                byStaff ? "staff" : "customer", c.source()))
                .compose(w -> conn.preparedQuery(HAND_OVER).execute(Tuple.of(contactId, c.staff())));
        yield write.map(w -> applied(c, contactId, effect, codeId,
            byStaff ? "wecom.contact_deleted" : "wecom.contact_lost", props));
      }
      case ContactChange.TRANSFER_FAIL -> {
        putIfSet(props, "fail_reason", c.failReason());
        yield conn.preparedQuery(TRANSFER_FAILED).execute(Tuple.of(contactId, c.staff(), utc(c.occurredAt()), c.failReason()))
            .map(w -> applied(c, contactId, "transfer_failed", null, "wecom.transfer_failed", props));
      }
      default -> throw new IllegalStateException("no handling for " + c.changeType());
    };
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
