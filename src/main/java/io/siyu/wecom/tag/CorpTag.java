package io.siyu.wecom.tag;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * WeCom's corp tag groups as {@code get_corp_tag_list} answers them. {@code order}: a larger value
 * sorts first. {@code deleted} is only ever set when WeCom was asked for particular ids.
 */
record CorpTag(String id, String name, long order, boolean deleted) {

  record Group(String id, String name, long order, boolean deleted, List<CorpTag> tags) {}

  /** The groups of an answer; items without an id or a usable name are left out. */
  static List<Group> groups(JsonArray tagGroups) {
    List<Group> groups = new ArrayList<>();
    for (Object o : tagGroups) {
      if (o instanceof JsonObject g && id(g, "group_id") != null) {
        List<CorpTag> tags = new ArrayList<>();
        for (Object t : g.getJsonArray("tag", new JsonArray())) {
          if (t instanceof JsonObject tag && id(tag, "id") != null) {
            tags.add(new CorpTag(id(tag, "id"), name(tag.getValue("name")), order(tag), tag.getBoolean("deleted", false)));
          }
        }
        groups.add(new Group(id(g, "group_id"), name(g.getValue("group_name")), order(g), g.getBoolean("deleted", false),
            tags));
      }
    }
    return groups;
  }

  private static String id(JsonObject o, String key) {
    return o.getValue(key) instanceof String s && !s.isBlank() ? s : null;
  }

  /** Siyu's tag names are 1 to 100 characters (WeCom's at most 30): anything else is no name. */
  private static String name(Object v) {
    return v instanceof String s && !s.isBlank() && s.strip().length() <= 100 ? s.strip() : null;
  }

  private static long order(JsonObject o) {
    return o.getValue("order") instanceof Number n ? n.longValue() : 0;
  }
}
