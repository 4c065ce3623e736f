package io.siyu.journey;

import io.siyu.auth.Access;
import io.siyu.event.EventTypes;
import io.siyu.web.Bodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/designer/choices}: what the journey designer's dropdowns offer, in one call and
 * one statement — templates (with the channels their current version has variants for), rights not
 * retired, segments, tag groups with their tags, event types, and the configured channels.
 */
public final class DesignerChoices {
  /** At most this many distinct event types are read from the events (each one index probe). */
  static final int MAX_SEEN_TYPES = 1000;

  /**
   * One row of jsonb arrays. The event types seen are read with a loose index scan of
   * {@code events_type_time_idx}: each step of the recursion is one probe for the next type after the
   * last, so the cost grows with the number of types, not of events. $1: the built-in types.
   */
  private static final String CHOICES = "WITH RECURSIVE seen (type, n) AS ("
      + "  (SELECT type, 1 FROM events ORDER BY type LIMIT 1) "
      + "  UNION ALL SELECT (SELECT e.type FROM events e WHERE e.type > s.type ORDER BY e.type LIMIT 1), s.n + 1 "
      + "  FROM seen s WHERE s.type IS NOT NULL AND s.n < " + MAX_SEEN_TYPES + ") "
      + "SELECT "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('key', t.key, 'name', coalesce(nullif(t.description, ''), t.key), "
      + "   'channels', (SELECT coalesce(jsonb_agg(DISTINCT v ->> 'channel'), '[]') FROM jsonb_array_elements(cv.variants) v)) "
      + "   ORDER BY t.key), '[]') FROM templates t CROSS JOIN LATERAL (SELECT variants FROM template_versions "
      + "   WHERE template_id = t.id ORDER BY version DESC LIMIT 1) cv)::text AS templates, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'name', name) ORDER BY code), '[]') FROM rights "
      + "   WHERE retired_at IS NULL)::text AS rights, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name) ORDER BY name), '[]') FROM segments)::text AS segments, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'tags', "
      + "   (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) ORDER BY t.name), '[]') FROM tags t "
      + "    WHERE t.group_id = g.id)) ORDER BY g.name), '[]') FROM tag_groups g)::text AS tag_groups, "
      + "(SELECT coalesce(jsonb_agg(type ORDER BY type), '[]') FROM (SELECT type FROM seen WHERE type IS NOT NULL "
      + "   UNION SELECT unnest($1::text[]) UNION SELECT event_type FROM journey_listens) x)::text AS event_types";

  private DesignerChoices() {}

  /** {@code channels}: the channels this Siyu has configured. */
  public static void mount(Router api, Pool pool, Set<String> channels) {
    JsonArray configured = new JsonArray(new java.util.ArrayList<>(new TreeSet<>(channels)));
    api.get("/designer/choices").handler(Access.READ).handler(ctx ->
        read(pool).onSuccess(choices -> Bodies.ok(ctx, choices.put("channels", configured.copy()))).onFailure(ctx::fail));
  }

  static Future<JsonObject> read(Pool pool) {
    return pool.preparedQuery(CHOICES).execute(Tuple.of(EventTypes.BUILT_IN.toArray(String[]::new))).map(rows -> {
      Row r = rows.iterator().next();
      JsonObject out = new JsonObject();
      for (String field : new String[] {"templates", "rights", "segments", "tag_groups", "event_types"}) {
        out.put(field, new JsonArray(r.getString(field)));
      }
      return out;
    });
  }
}
