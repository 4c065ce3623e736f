package io.siyu.support;

import static io.siyu.support.FakeWecom.error;
import static io.siyu.support.FakeWecom.ok;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The corp tag library of the loopback WeCom, empty at first: {@code get_corp_tag_list} answered
 * as WeCom does (by group ids, else by tag ids, else everything; {@code deleted} for ids asked for
 * that are gone), and {@code mark_tag} checked for its required fields.
 */
public final class FakeCorpTags {
  public static final String GET_CORP_TAG_LIST = "/cgi-bin/externalcontact/get_corp_tag_list";
  public static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";

  private final Map<String, JsonObject> groups = new LinkedHashMap<>();
  private final Map<String, String> deletedTags = new ConcurrentHashMap<>();
  private final Set<String> deletedGroups = ConcurrentHashMap.newKeySet();

  FakeCorpTags(BiConsumer<String, FakeWecom.Answer> routes) {
    routes.accept(GET_CORP_TAG_LIST, (query, body) -> list(body == null ? new JsonObject() : body));
    routes.accept(MARK_TAG, (query, body) -> body.getString("userid") == null || body.getString("external_userid") == null
        ? error(40058, "invalid parameter") : ok());
  }

  public synchronized void group(String id, String name, long order) {
    JsonObject g = groups.computeIfAbsent(id, k -> new JsonObject().put("group_id", id).put("create_time", 1700000000)
        .put("tag", new JsonArray()));
    g.put("group_name", name).put("order", order);
  }

  public synchronized void tag(String groupId, String id, String name, long order) {
    JsonArray tags = groups.get(groupId).getJsonArray("tag");
    JsonObject tag = tags.stream().map(JsonObject.class::cast).filter(t -> id.equals(t.getString("id"))).findFirst()
        .orElseGet(() -> {
          JsonObject t = new JsonObject().put("id", id).put("create_time", 1700000000);
          tags.add(t);
          return t;
        });
    tag.put("name", name).put("order", order);
  }

  public synchronized void deleteTag(String groupId, String id) {
    JsonArray tags = groups.get(groupId).getJsonArray("tag");
    tags.getList().removeIf(t -> t instanceof JsonObject o ? id.equals(o.getString("id"))
        : id.equals(((Map<?, ?>) t).get("id")));
    deletedTags.put(id, groupId);
  }

  /** Gone from WeCom without a word: only a whole list shows it. */
  public synchronized void deleteGroup(String id) {
    groups.remove(id);
    deletedGroups.add(id);
  }

  private synchronized JsonObject list(JsonObject body) {
    List<Object> groupIds = body.getJsonArray("group_id", new JsonArray()).getList();
    List<Object> tagIds = body.getJsonArray("tag_id", new JsonArray()).getList();
    JsonArray answer = new JsonArray();
    if (!groupIds.isEmpty()) {
      for (Object id : groupIds) {
        if (groups.containsKey(id)) {
          answer.add(groups.get(id).copy());
        } else if (deletedGroups.contains(id)) {
          answer.add(new JsonObject().put("group_id", id).put("deleted", true).put("tag", new JsonArray()));
        }
      }
    } else if (!tagIds.isEmpty()) {
      Map<String, JsonObject> byGroup = new LinkedHashMap<>();
      for (Object id : tagIds) {
        groups.values().forEach(g -> g.getJsonArray("tag").stream().map(JsonObject.class::cast)
            .filter(t -> id.equals(t.getString("id")))
            .forEach(t -> byGroup.computeIfAbsent(g.getString("group_id"), k -> g.copy().put("tag", new JsonArray()))
                .getJsonArray("tag").add(t.copy())));
        String deletedIn = deletedTags.get(id);
        if (deletedIn != null && groups.containsKey(deletedIn)) {
          byGroup.computeIfAbsent(deletedIn, k -> groups.get(deletedIn).copy().put("tag", new JsonArray()))
              .getJsonArray("tag").add(new JsonObject().put("id", id).put("name", "").put("deleted", true));
        }
      }
      byGroup.values().forEach(answer::add);
    } else {
      groups.values().forEach(g -> answer.add(g.copy()));
    }
    return ok().put("tag_group", answer);
  }
}
