package io.siyu.contact;

import io.siyu.attribute.AttributeService;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Contacts: upsert by any identity, read, PATCH, delete, and filtered keyset listing.
 * Upserts lock the matching rows, so two requests naming the same person serialise; the unique
 * identity indexes catch the one race locking cannot (two inserts of a new person), and the loser
 * retries as an update.
 */
public final class ContactService {
  private static final String FIND_BY_IDENTITY = "SELECT c.id, c.external_userid, c.unionid, c.openid, c.mobile, "
      + "c.email FROM contacts c WHERE c.external_userid = $1 OR c.unionid = $2 OR c.openid = $3 "
      + "OR c.mobile = $4 OR c.email = $5 ORDER BY c.id";
  private static final String FIND_BY_EXTERNAL_USERID = "SELECT id, external_userid FROM contacts "
      + "WHERE external_userid = ANY($1::text[])";
  /** In a fixed order, so two transactions making the same new contacts queue on the index instead of deadlocking. */
  private static final String CREATE_BY_EXTERNAL_USERID = "INSERT INTO contacts (external_userid, timezone) "
      + "SELECT u, $2 FROM unnest($1::text[]) u ORDER BY u ON CONFLICT DO NOTHING RETURNING id, external_userid";
  private static final String SELECT_ONE = "SELECT " + ContactRows.COLUMNS + " FROM contacts c WHERE c.id = $1";
  /** Followed by the filters and the page's order. */
  private static final String SELECT_WHERE = "SELECT " + ContactRows.COLUMNS + " FROM contacts c WHERE ";
  private static final String OTHER_OWNER_OF_IDENTITIES = "SELECT id FROM contacts c WHERE (c.external_userid = $1 "
      + "OR c.unionid = $2 OR c.openid = $3 OR c.mobile = $4 OR c.email = $5) AND c.id <> $6 LIMIT 1";
  private static final String DELETE = "DELETE FROM contacts WHERE id = $1 RETURNING id";

  private final Pool pool;
  private final AttributeService attributes;
  private final SegmentConditions segments;
  private final ContactDefaults defaults;

  public ContactService(Pool pool, AttributeService attributes, SegmentConditions segments, ContactDefaults defaults) {
    this.pool = pool;
    this.attributes = attributes;
    this.segments = segments;
    this.defaults = defaults;
  }

  /** Country code assumed for mobiles typed without one. */
  public String countryCode() {
    return defaults.countryCode();
  }

  /** The result of an upsert: the contact as stored, and whether it was new. */
  public record Upserted(JsonObject contact, boolean created) {}

  /** Validates a request body against the current attribute declarations. */
  public Future<ContactInput> parse(JsonObject body) {
    return attributes.catalog().map(catalog -> ContactInput.parse(body, catalog, defaults.countryCode()));
  }

  public Future<Upserted> upsert(JsonObject body) {
    return parse(body).compose(in -> {
      if (in.identities().isEmpty()) {
        return Future.failedFuture(Problem.invalid("identities",
            "name at least one of " + String.join(", ", Identities.KEYS)));
      }
      return Rows.retryingRaces(() -> pool.withTransaction(conn -> upsert(conn, in)));
    });
  }

  /** Inside the caller's transaction: update the one contact these identities name, or insert. */
  public Future<Upserted> upsert(SqlConnection conn, ContactInput in) {
    return matching(conn, in.identities(), true).compose(rows -> {
      if (rows.isEmpty()) {
        return insert(conn, in, false).map(c -> new Upserted(c, true));
      }
      return update(conn, rows.get(0).getLong("id"), in).map(c -> new Upserted(c, false));
    });
  }

  /**
   * The id of the contact these identities name; when there is none, creates it from {@code in}
   * if {@code create}, else fails with 422. Used by event ingestion, which never changes profiles.
   */
  public Future<Long> resolve(SqlConnection conn, ContactInput in, boolean create, String field) {
    return matching(conn, in.identities(), false).compose(rows -> {
      if (!rows.isEmpty()) {
        return Future.succeededFuture(rows.get(0).getLong("id"));
      }
      if (!create) {
        return Future.failedFuture(Problem.invalid(field, "names no known contact"));
      }
      // another request may be creating the same person right now: let it win, then use its row
      return insert(conn, in, true).compose(c -> c != null
          ? Future.succeededFuture(c.getLong("id"))
          : matching(conn, in.identities(), false).map(again -> {
            if (again.isEmpty()) {
              throw new IllegalStateException("a contact conflicted on insert but cannot be found");
            }
            return again.get(0).getLong("id");
          }));
    });
  }

  /**
   * {@link #resolve} for many WeCom customers at once, named by {@code external_userid} alone
   * (normalised already, {@link Identities#opaque}): each one's contact id, the contact created
   * when there is none. A statement or two however many, in the caller's transaction.
   */
  public Future<Map<String, Long>> resolveExternalUserIds(SqlConnection conn, Collection<String> externalUserIds) {
    Map<String, Long> ids = new HashMap<>();
    String[] wanted = externalUserIds.stream().distinct().sorted().toArray(String[]::new);
    return byExternalUserId(conn, FIND_BY_EXTERNAL_USERID, Tuple.of(wanted), ids)
        .compose(v -> ids.size() == wanted.length ? Future.succeededFuture()
            : byExternalUserId(conn, CREATE_BY_EXTERNAL_USERID, Tuple.of(missing(wanted, ids), defaults.timezone()), ids))
        // another transaction made some of them meanwhile: they are committed now, find them
        .compose(v -> ids.size() == wanted.length ? Future.succeededFuture()
            : byExternalUserId(conn, FIND_BY_EXTERNAL_USERID, Tuple.of(missing(wanted, ids)), ids))
        .map(v -> {
          if (ids.size() != wanted.length) {
            throw new IllegalStateException("contacts conflicted on insert but cannot be found");
          }
          return ids;
        });
  }

  private static Future<Void> byExternalUserId(SqlConnection conn, String sql, Tuple args, Map<String, Long> ids) {
    return conn.preparedQuery(sql).execute(args).map(rows -> {
      rows.forEach(r -> ids.put(r.getString("external_userid"), r.getLong("id")));
      return null;
    });
  }

  private static String[] missing(String[] wanted, Map<String, Long> found) {
    return java.util.Arrays.stream(wanted).filter(id -> !found.containsKey(id)).toArray(String[]::new);
  }

  /**
   * Rows matching any identity; more than one distinct contact is a conflict naming them all.
   * An upsert locks them ({@code lock}) because it is about to change them; event ingestion only
   * needs the id and locks in id order later, so concurrent batches cannot deadlock.
   */
  private Future<List<Row>> matching(SqlClient conn, Map<String, String> ids, boolean lock) {
    Tuple t = Tuple.tuple();
    Identities.KEYS.forEach(k -> t.addValue(ids.get(k)));
    return conn.preparedQuery(FIND_BY_IDENTITY + (lock ? " FOR UPDATE" : "")).execute(t).map(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      if (list.size() > 1) {
        throw identityConflict(list, ids);
      }
      return list;
    });
  }

  private static Problem identityConflict(List<Row> rows, Map<String, String> ids) {
    JsonArray contacts = new JsonArray();
    List<Long> idList = new ArrayList<>();
    for (Row r : rows) {
      JsonArray matched = new JsonArray();
      ids.forEach((k, v) -> {
        if (v.equals(r.getString(k))) {
          matched.add(k);
        }
      });
      idList.add(r.getLong("id"));
      contacts.add(new JsonObject().put("id", r.getLong("id")).put("matched_on", matched));
    }
    return Problem.conflict("These identities belong to different contacts " + idList
        + "; merge them or send identities of one contact", new JsonObject().put("contacts", contacts));
  }

  /** With {@code orNothing}, an identity taken meanwhile yields null instead of an error. */
  private Future<JsonObject> insert(SqlClient conn, ContactInput in, boolean orNothing) {
    SqlParams p = new SqlParams();
    List<String> cols = new ArrayList<>();
    List<String> vals = new ArrayList<>();
    in.columns().forEach((col, value) -> {
      cols.add(col);
      vals.add(p.add(value));
    });
    cols.add("attributes");
    vals.add("jsonb_strip_nulls(" + p.add(in.attributes() == null ? new JsonObject() : in.attributes()) + "::jsonb)");
    cols.add("consent");
    vals.add("jsonb_strip_nulls(" + p.add(in.consent() == null ? new JsonObject() : in.consent()) + "::jsonb)");
    if (!in.columns().containsKey("timezone")) {
      cols.add("timezone");
      vals.add(p.add(defaults.timezone()));
    }
    String sql = "INSERT INTO contacts AS c (" + String.join(", ", cols) + ") VALUES ("
        + String.join(", ", vals) + ")" + (orNothing ? " ON CONFLICT DO NOTHING" : "") + " RETURNING " + ContactRows.COLUMNS;
    return conn.preparedQuery(sql).execute(p.tuple())
        .map(rows -> rows.size() == 0 ? null : RowJson.of(rows.iterator().next()));
  }

  private Future<JsonObject> update(SqlClient conn, long id, ContactInput in) {
    SqlParams p = SqlParams.startingWith(id);
    List<String> sets = new ArrayList<>();
    in.columns().forEach((col, value) -> sets.add(col + " = " + p.add(value)));
    if (in.attributes() != null) {
      sets.add("attributes = jsonb_strip_nulls(c.attributes || " + p.add(in.attributes()) + "::jsonb)");
    }
    if (in.consent() != null) {
      sets.add("consent = jsonb_strip_nulls(c.consent || " + p.add(in.consent()) + "::jsonb)");
    }
    sets.add("updated_at = now()");
    String sql = "UPDATE contacts c SET " + String.join(", ", sets) + " WHERE c.id = $1 RETURNING " + ContactRows.COLUMNS;
    return conn.preparedQuery(sql).execute(p.tuple()).map(rows -> Rows.one(rows, "Contact " + id, RowJson::of));
  }

  public Future<JsonObject> get(long id) {
    return pool.preparedQuery(SELECT_ONE)
        .execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Contact " + id, RowJson::of));
  }

  /** PATCH: only the fields sent change; an identity taken by another contact is a 409 naming both. */
  public Future<JsonObject> patch(long id, JsonObject body) {
    return parse(body).compose(in -> {
      if (in.isEmpty()) {
        return Future.failedFuture(Problem.invalid("body", "names no field to change"));
      }
      boolean clearsAllIds = Identities.KEYS.stream().allMatch(k -> in.columns().containsKey(k) && in.columns().get(k) == null);
      if (clearsAllIds) {
        return Future.failedFuture(Problem.invalid("identities", "a contact must keep at least one identity"));
      }
      return pool.withTransaction(conn -> update(conn, id, in))
          .recover(err -> Rows.isUniqueViolation(err)
              ? ownerOf(in.identities(), id).compose(other -> Future.failedFuture(Problem.conflict(
                  "Another contact (" + other + ") already has one of these identities",
                  new JsonObject().put("contacts", new JsonArray().add(id).add(other)))))
              : Future.failedFuture(err));
    });
  }

  private Future<Long> ownerOf(Map<String, String> ids, long self) {
    Tuple t = Tuple.tuple();
    Identities.KEYS.forEach(k -> t.addValue(ids.get(k)));
    t.addValue(self);
    return pool.preparedQuery(OTHER_OWNER_OF_IDENTITIES)
        .execute(t)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
  }

  public Future<Void> delete(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id))
        .map(rows -> Rows.deleted(rows, "Contact " + id));
  }

  /** Newest first by default; {@code updated_at} is what a client syncing changes follows. */
  public static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "c.id"), Sorts.time("updated_at", "c.updated_at"));

  /** A filtered page of contacts in the page's order; every filter is bound, never spliced. */
  public Future<JsonObject> list(ContactQuery query, Page page) {
    SqlParams p = new SqlParams();
    List<String> where = new ArrayList<>(List.of(page.after(p::add)));
    query.identities().forEach((k, v) -> where.add("c." + k + " = " + p.add(v)));
    if (query.name() != null) {
      where.add("c.name ILIKE " + p.add("%" + Like.escape(query.name()) + "%"));
    }
    if (query.search() != null) {
      where.add(query.search().condition(p::add));
    }
    if (query.lifecycleStage() != null) {
      where.add("c.lifecycle_stage = " + p.add(query.lifecycleStage()));
    }
    if (query.updatedSince() != null) {
      where.add("c.updated_at >= " + p.add(query.updatedSince()));
    }
    if (query.tagId() != null) {
      where.add("EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = "
          + p.add(query.tagId()) + ")");
    }
    Future<Void> segmentCondition = query.segmentId() == null
        ? Future.succeededFuture()
        : segments.condition(query.segmentId(), p).map(sql -> {
          where.add(sql);
          return null;
        });
    return segmentCondition.compose(v -> pool.preparedQuery(SELECT_WHERE + String.join(" AND ", where) + " " + page.orderAndLimit(p::add))
        .execute(p.tuple()))
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }
}
