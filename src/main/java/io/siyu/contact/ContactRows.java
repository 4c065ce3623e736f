package io.siyu.contact;

/**
 * How a contact reads: the one column list, in the order of the contact's JSON (written by
 * {@link io.siyu.db.RowJson}). The RFM scores go out as one object, or null while the contact is unranked.
 */
public final class ContactRows {
  private static final String RFM = "CASE WHEN c.rfm_class IS NULL THEN NULL "
      + "ELSE json_build_object('r', c.rfm_r, 'f', c.rfm_f, 'm', c.rfm_m, 'class', c.rfm_class) END AS rfm";

  public static final String COLUMNS = "c.id, c.external_userid, c.unionid, c.openid, c.mobile, c.email, c.name, "
      + "c.gender, c.birthday, c.timezone, c.locale, c.owner_staff_id, c.source, c.consent, c.attributes, "
      + "c.lifecycle_stage, c.first_seen_at, c.last_interaction_at, c.last_purchase_at, c.purchase_count, "
      + "c.total_spent, c.points_balance, c.growth_value, c.tier, c.tier_since, c.invite_code, c.referred_by, "
      + RFM + ", c.created_at, c.updated_at";

  private ContactRows() {}
}
