package io.siyu.journey;

import io.siyu.journey.step.EngineSql;
import io.siyu.journey.step.Journeys;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.variable.Variables;

/**
 * What a journey sees of its contact, read in the engine's transaction. As a listener on every
 * exclusive gateway it puts a transient {@code contact} variable in place before the conditions
 * are evaluated, so a condition like {@code ${contact.rfm_class == '重要价值'}} or
 * {@code ${contact.tags.contains('会员/VIP')}} always sees current data (and nothing is stored).
 */
public final class Contacts implements ExecutionListener {
  private static final String SNAPSHOT = "SELECT c.id, c.name, c.tier, c.lifecycle_stage, c.rfm_class, c.points_balance, "
      + "c.growth_value, c.purchase_count, c.total_spent, c.timezone, c.attributes::text AS attributes, c.birthday, "
      + "coalesce((SELECT array_agg(g.name || '/' || t.name ORDER BY g.name, t.name) FROM contact_tags ct "
      + "  JOIN tags t ON t.id = ct.tag_id JOIN tag_groups g ON g.id = t.group_id WHERE ct.contact_id = c.id), '{}') AS tags "
      + "FROM contacts c WHERE c.id = $1";
  private static final String ZONE = "SELECT timezone FROM contacts WHERE id = $1";

  @Override
  public void notify(DelegateExecution execution) {
    execution.setVariable("contact", Variables.objectValue(snapshot(Journeys.contactId(execution)), true).create());
  }

  /** The contact as a map for expressions: tags as "group/name" plus bare names, attributes as a map. */
  public Map<String, Object> snapshot(long contactId) {
    List<Map<String, Object>> rows = EngineSql.query(SNAPSHOT, contactId);
    if (rows.isEmpty()) {
      throw new IllegalStateException("contact " + contactId + " no longer exists");
    }
    Map<String, Object> c = new java.util.HashMap<>(rows.get(0));
    c.put("attributes", new JsonObject((String) c.get("attributes")).getMap());
    List<String> tags = new java.util.ArrayList<>();
    try {
      for (Object t : (Object[]) ((java.sql.Array) c.get("tags")).getArray()) {
        tags.add((String) t);
        tags.add(((String) t).substring(((String) t).indexOf('/') + 1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    c.put("tags", tags);
    return c;
  }

  public ZoneId zone(long contactId) {
    List<Map<String, Object>> rows = EngineSql.query(ZONE, contactId);
    return io.siyu.locale.TimeZones.of(rows.isEmpty() ? null : (String) rows.get(0).get("timezone"));
  }
}
