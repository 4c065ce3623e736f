package io.siyu.template;

import io.siyu.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * What a template sees of a contact, as the {@code contact} variable: profile, loyalty standing,
 * custom attributes and tag names. Empty fields are left out rather than set to null, so
 * {@code {{ contact.name | default: "朋友" }}} falls back and a bare {@code {{ contact.name }}}
 * fails the render instead of sending "您好，！". Identities (mobile, email, openid) are not given:
 * a message has no need to print them.
 */
final class ContactVariables {
  private static final String CONTACT = "SELECT jsonb_strip_nulls(jsonb_build_object("
      + "'id', c.id, 'name', nullif(c.name, ''), 'gender', c.gender, 'birthday', c.birthday::text, "
      + "'tier', c.tier, 'points_balance', c.points_balance, 'growth_value', c.growth_value, "
      + "'lifecycle_stage', c.lifecycle_stage, 'rfm_class', c.rfm_class, 'purchase_count', c.purchase_count, "
      + "'total_spent', c.total_spent, 'locale', c.locale, 'attributes', c.attributes, "
      + "'tags', coalesce((SELECT jsonb_agg(t.name ORDER BY t.name) FROM contact_tags ct "
      + "  JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '[]'::jsonb)))::text AS contact "
      + "FROM contacts c WHERE c.id = $1";

  private final Pool pool;

  ContactVariables(Pool pool) {
    this.pool = pool;
  }

  /** The {@code contact} variable of contact {@code id}; a 404 problem when there is no such contact. */
  Future<JsonObject> of(long id) {
    return pool.preparedQuery(CONTACT).execute(Tuple.of(id))
        .map(rows -> new JsonObject(Rows.first(rows, "Contact " + id).getString("contact")));
  }
}
