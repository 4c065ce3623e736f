package io.siyu.wecom.contact;

import io.siyu.auth.Access;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code GET /api/v1/contacts/{id}/wecom}: the contact's WeCom side — the profile
 * {@code externalcontact/get} last gave (null until fetched) and every staff member who has, had,
 * or half-added the customer, with how and when.
 */
public final class WecomContactRoutes {
  private static final String CONTACT = "SELECT id FROM contacts WHERE id = $1";
  /** The profile and the follows as the API shows them, in the order of their JSON. */
  private static final String PROFILE = "SELECT external_userid, name, avatar, type, gender, unionid, corp_name, "
      + "corp_full_name, position, fetched_at FROM wecom_external_profiles WHERE contact_id = $1";
  private static final String FOLLOWS = "SELECT staff_userid, status, state, channel_code_id, add_way, remark, description, "
      + "added_at, deleted_at, deleted_by, delete_source, transfer_failed_at, transfer_fail_reason, updated_at "
      + "FROM wecom_follows WHERE contact_id = $1 ORDER BY added_at NULLS LAST, id";

  private WecomContactRoutes() {}

  public static void mount(Router api, Pool pool) {
    api.get("/contacts/:id/wecom").handler(Access.READ).handler(ctx ->
        ofContact(pool, Bodies.id(ctx, "id", "Contact")).onSuccess(j -> Bodies.ok(ctx, j)).onFailure(ctx::fail));
  }

  static Future<JsonObject> ofContact(Pool pool, long contactId) {
    Tuple id = Tuple.of(contactId);
    return pool.preparedQuery(CONTACT).execute(id).compose(found -> {
      if (found.size() == 0) {
        return Future.failedFuture(Problem.notFound("Contact " + contactId));
      }
      return pool.preparedQuery(PROFILE).execute(id).compose(profile -> pool.preparedQuery(FOLLOWS).execute(id)
          .map(follows -> new JsonObject()
              .put("profile", profile.size() == 0 ? null : RowJson.of(profile.iterator().next()))
              .put("follows", Rows.array(follows, RowJson::of))));
    });
  }
}
