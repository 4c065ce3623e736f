package io.siyu.tag;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tag groups and tags, tagging one contact, a list, or a segment, and the history of it all. */
class TagApiTest {
  private static final Api api = TestSiyu.admin();

  private static long group(String name) {
    Reply r = api.post("/api/v1/tag-groups", new JsonObject().put("name", name));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static long tag(long group, String name) {
    Reply r = api.post("/api/v1/tags", new JsonObject().put("group_id", group).put("name", name));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static long contact(String externalId) {
    return api.post("/api/v1/contacts", new JsonObject().put("external_userid", externalId)).json().getLong("id");
  }

  @Test
  void namesAreUniqueWithinAGroupOnly() {
    String u = unique();
    long g1 = group("兴趣-" + u);
    long g2 = group("渠道-" + u);
    tag(g1, "咖啡");
    tag(g2, "咖啡");
    Reply dup = api.post("/api/v1/tags", new JsonObject().put("group_id", g1).put("name", "咖啡"));
    assertEquals(409, dup.status());
    assertEquals(409, api.post("/api/v1/tag-groups", new JsonObject().put("name", "兴趣-" + u)).status());
    assertEquals(422, api.post("/api/v1/tags", new JsonObject().put("group_id", 99999999).put("name", "x")).status());
    Reply g = api.get("/api/v1/tag-groups/" + g1);
    assertEquals(1, g.json().getJsonArray("tags").size());
    assertEquals(1, api.get("/api/v1/tags?group_id=" + g2).items().size());
  }

  @Test
  void taggingAContactIsRecordedWithWhoAndWhen() {
    String u = unique();
    long t = tag(group("g-" + u), "新客");
    long c = contact("ext-" + u);
    Reply r = api.post("/api/v1/contacts/" + c + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(t)));
    assertEquals(200, r.status(), r.toString());
    assertEquals(1, r.json().getInteger("added"));
    assertEquals(0, api.post("/api/v1/contacts/" + c + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(t)))
        .json().getInteger("added"), "tagging twice changes nothing");

    JsonObject onContact = api.get("/api/v1/contacts/" + c).json().getJsonArray("tags").getJsonObject(0);
    assertEquals("新客", onContact.getString("name"));
    assertTrue(onContact.getString("tagged_by").startsWith("token:"));

    assertEquals(204, api.delete("/api/v1/contacts/" + c + "/tags/" + t).status());
    assertEquals(404, api.delete("/api/v1/contacts/" + c + "/tags/" + t).status());
    JsonArray history = api.get("/api/v1/contacts/" + c + "/tag-history?sort=id").items();
    assertEquals(2, history.size());
    assertEquals("added", history.getJsonObject(0).getString("action"));
    assertEquals("removed", history.getJsonObject(1).getString("action"));
    assertEquals("新客", history.getJsonObject(1).getString("tag_name"));
  }

  @Test
  void unknownTagOrContactIsAClearError() {
    long c = contact("ext-" + unique());
    Reply r = api.post("/api/v1/contacts/" + c + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(99999999)));
    assertEquals(422, r.status(), r.toString());
    long t = tag(group("g-" + unique()), "x");
    assertEquals(404, api.post("/api/v1/contacts/99999999/tags", new JsonObject().put("tag_ids", new JsonArray().add(t)))
        .status());
  }

  @Test
  void bulkTaggingAListAndASegment() {
    String u = unique();
    long t = tag(group("bulk-" + u), "活跃");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(api.post("/api/v1/contacts", new JsonObject().put("external_userid", "bulk-" + u + "-" + i)
          .put("name", "bulk" + u).put("lifecycle_stage", i < 3 ? "mature" : "new")).json().getLong("id"));
    }
    Reply list = api.post("/api/v1/tags/" + t + "/contacts", new JsonObject()
        .put("contact_ids", new JsonArray().add(ids.get(0)).add(ids.get(1)).add(99999999)));
    assertEquals(200, list.status(), list.toString());
    assertEquals(2, list.json().getInteger("matched"));
    assertEquals(2, list.json().getInteger("added"));

    long segment = api.post("/api/v1/segments", new JsonObject().put("name", "mature-" + u).put("filter",
        new JsonObject().put("all", new JsonArray()
            .add(new JsonObject().put("field", "name").put("op", "eq").put("value", "bulk" + u))
            .add(new JsonObject().put("field", "lifecycle_stage").put("op", "eq").put("value", "mature")))))
        .json().getLong("id");
    Reply bySegment = api.post("/api/v1/tags/" + t + "/contacts", new JsonObject().put("segment_id", segment));
    assertEquals(200, bySegment.status(), bySegment.toString());
    assertEquals(3, bySegment.json().getInteger("matched"));
    assertEquals(1, bySegment.json().getInteger("added"));
    assertEquals(2, bySegment.json().getInteger("unchanged"));
    assertEquals(3, api.get("/api/v1/contacts?tag=" + t).items().size());
    assertEquals(3, api.get("/api/v1/tags/" + t).json().getInteger("contact_count"));

    Reply removed = api.post("/api/v1/tags/" + t + "/contacts/remove", new JsonObject().put("segment_id", segment));
    assertEquals(3, removed.json().getInteger("removed"));
    assertEquals(0, api.get("/api/v1/contacts?tag=" + t).items().size());
    assertEquals(422, api.post("/api/v1/tags/" + t + "/contacts", new JsonObject()).status());
  }

  @Test
  void deletingATagKeepsTheHistoryAndGroupsMustBeEmptyToGo() {
    String u = unique();
    long g = group("del-" + u);
    long t = tag(g, "临时");
    long c = contact("del-" + u);
    api.post("/api/v1/contacts/" + c + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(t)));
    assertEquals(409, api.delete("/api/v1/tag-groups/" + g).status());
    assertEquals(204, api.delete("/api/v1/tags/" + t).status());
    assertEquals(0, api.get("/api/v1/contacts/" + c).json().getJsonArray("tags").size());
    JsonArray history = api.get("/api/v1/contacts/" + c + "/tag-history?sort=id").items();
    assertEquals("removed", history.getJsonObject(history.size() - 1).getString("action"));
    assertEquals(204, api.delete("/api/v1/tag-groups/" + g).status());
    assertEquals(404, api.get("/api/v1/tag-groups/" + g).status());
  }

  @Test
  void renames() {
    String u = unique();
    long g = group("ren-" + u);
    long t = tag(g, "a");
    assertEquals("b", api.patch("/api/v1/tags/" + t, new JsonObject().put("name", "b")).json().getString("name"));
    assertEquals("ren2-" + u, api.patch("/api/v1/tag-groups/" + g, new JsonObject().put("name", "ren2-" + u))
        .json().getString("name"));
  }
}
