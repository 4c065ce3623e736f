package io.siyu.contact;

import io.siyu.db.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** How a contact row reads, in SQL and in JSON; the one place that lists its columns. */
public final class ContactRows {
  public static final String COLUMNS = "c.id, c.external_userid, c.unionid, c.openid, c.mobile, c.email, c.name, "
      + "c.gender, c.birthday, c.timezone, c.owner_staff_id, c.source, c.consent, c.attributes, c.lifecycle_stage, "
      + "c.first_seen_at, c.last_interaction_at, c.last_purchase_at, c.purchase_count, c.total_spent, "
      + "c.points_balance, c.rfm_r, c.rfm_f, c.rfm_m, c.rfm_class, c.growth_value, c.tier, c.tier_since, "
      + "c.invite_code, c.referred_by, c.locale, "
      + "c.created_at, c.updated_at";

  private ContactRows() {}

  public static JsonObject toJson(Row r) {
    JsonObject j = new JsonObject().put("id", r.getLong("id"));
    for (String k : Identities.KEYS) {
      j.put(k, r.getString(k));
    }
    return j.put("name", r.getString("name"))
        .put("gender", r.getString("gender"))
        .put("birthday", r.getLocalDate("birthday") == null ? null : r.getLocalDate("birthday").toString())
        .put("timezone", r.getString("timezone"))
        .put("locale", r.getString("locale"))
        .put("owner_staff_id", r.getString("owner_staff_id"))
        .put("source", r.getString("source"))
        .put("consent", r.getJsonObject("consent"))
        .put("attributes", r.getJsonObject("attributes"))
        .put("lifecycle_stage", r.getString("lifecycle_stage"))
        .put("first_seen_at", Rows.instant(r.getOffsetDateTime("first_seen_at")))
        .put("last_interaction_at", Rows.instant(r.getOffsetDateTime("last_interaction_at")))
        .put("last_purchase_at", Rows.instant(r.getOffsetDateTime("last_purchase_at")))
        .put("purchase_count", r.getInteger("purchase_count"))
        .put("total_spent", r.getBigDecimal("total_spent"))
        .put("points_balance", r.getInteger("points_balance"))
        .put("growth_value", r.getInteger("growth_value"))
        .put("tier", r.getString("tier"))
        .put("tier_since", Rows.instant(r.getOffsetDateTime("tier_since")))
        .put("invite_code", r.getString("invite_code"))
        .put("referred_by", r.getLong("referred_by"))
        .put("rfm", r.getString("rfm_class") == null ? null : new JsonObject().put("r", r.getShort("rfm_r"))
            .put("f", r.getShort("rfm_f")).put("m", r.getShort("rfm_m")).put("class", r.getString("rfm_class")))
        .put("created_at", Rows.instant(r.getOffsetDateTime("created_at")))
        .put("updated_at", Rows.instant(r.getOffsetDateTime("updated_at")));
  }

}
