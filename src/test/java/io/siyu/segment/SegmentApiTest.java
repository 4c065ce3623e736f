package io.siyu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Segment filters compiled and run against the real database: counts that must be exact, hostile
 * values that must stay values, and bad filters answered with the path of the bad node.
 */
class SegmentApiTest {
  private static final Api api = TestSiyu.admin();
  /** Every contact of this class carries this source, so counts ignore other tests' contacts. */
  private static final String SOURCE = "seg-" + UUID.randomUUID().toString().substring(0, 8);
  private static long coffee;

  @BeforeAll
  static void data() {
    api.post("/api/v1/attributes", new JsonObject().put("key", "level").put("type", "integer"));
    api.post("/api/v1/attributes", new JsonObject().put("key", "city").put("type", "string"));
    long group = api.post("/api/v1/tag-groups", new JsonObject().put("name", "兴趣-" + SOURCE)).json().getLong("id");
    coffee = api.post("/api/v1/tags", new JsonObject().put("group_id", group).put("name", "咖啡")).json().getLong("id");
    String[] names = {"O'Brien", "Robert'); DROP TABLE contacts;--", "100%_real", "back\\slash", "普通", "$1"};
    for (int i = 0; i < 10; i++) {
      JsonObject c = new JsonObject().put("external_userid", SOURCE + "-" + i).put("source", SOURCE)
          .put("name", names[i % names.length])
          .put("birthday", i == 0 ? "2000-02-29" : "1990-0" + (1 + i % 9) + "-15")
          .put("consent", new JsonObject().put("sms", i % 2 == 0))
          .put("attributes", new JsonObject().put("level", i).put("city", i < 5 ? "上海" : "北京"));
      long id = api.post("/api/v1/contacts", c).json().getLong("id");
      if (i % 3 == 0) {
        api.post("/api/v1/contacts/" + id + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(coffee)));
      }
      for (int p = 0; p < i % 4; p++) {
        api.post("/api/v1/events", new JsonObject().put("id", SOURCE + "-p-" + i + "-" + p).put("type", "purchase")
            .put("contact_id", id).put("amount", 100));
      }
      // by hand after the purchases, which restage a contact by the lifecycle rules
      api.patch("/api/v1/contacts/" + id, new JsonObject().put("lifecycle_stage", i < 4 ? "growing" : "mature"));
    }
  }

  private static JsonObject mine(JsonObject condition) {
    return new JsonObject().put("all", new JsonArray()
        .add(new JsonObject().put("field", "source").put("op", "eq").put("value", SOURCE))
        .add(condition));
  }

  private static long count(JsonObject condition) {
    Reply r = api.post("/api/v1/segments/preview", new JsonObject().put("filter", mine(condition)).put("sample_size", 3));
    assertEquals(200, r.status(), r.toString());
    assertTrue(r.json().getJsonArray("sample").size() <= 3);
    return r.json().getLong("count");
  }

  private static JsonObject leaf(String kind, String name, String op, Object value) {
    JsonObject o = new JsonObject().put(kind, name).put("op", op);
    return value == null ? o : o.put("value", value);
  }

  @Test
  void countsAreExact() {
    assertEquals(10, count(leaf("field", "source", "eq", SOURCE)));
    assertEquals(4, count(leaf("field", "lifecycle_stage", "eq", "growing")));
    assertEquals(4, count(new JsonObject().put("has_tag", coffee)));  // 0, 3, 6, 9
    assertEquals(4, count(new JsonObject().put("has_tag", new JsonObject().put("group", "兴趣-" + SOURCE).put("name", "咖啡"))));
    assertEquals(5, count(leaf("attribute", "level", "between", new JsonArray().add(3).add(7))));
    assertEquals(5, count(leaf("attribute", "city", "eq", "上海")));
    assertEquals(1, count(new JsonObject().put("birthday", new JsonObject().put("month", 2).put("day", 29))));
    assertEquals(5, count(new JsonObject().put("consent", "sms")));
    // purchases per contact are i % 4: i = 2, 3, 6, 7 have at least two
    assertEquals(4, count(new JsonObject().put("event", new JsonObject().put("type", "purchase").put("count", 2))));
    assertEquals(3, count(new JsonObject().put("event", new JsonObject().put("type", "purchase").put("op", "eq").put("count", 0))));
    assertEquals(4, count(leaf("field", "purchase_count", "gte", 2)));
    assertEquals(7, count(leaf("field", "last_purchase_at", "gt", new JsonObject().put("days_ago", 1))));
    assertEquals(6, count(new JsonObject().put("not", new JsonObject().put("has_tag", coffee))));
  }

  @Test
  void theBenchmarkShapedQuestion() {
    JsonObject q = new JsonObject().put("all", new JsonArray()
        .add(new JsonObject().put("has_tag", coffee))
        .add(leaf("attribute", "level", "between", new JsonArray().add(3).add(9)))
        .add(leaf("field", "lifecycle_stage", "eq", "mature")));
    assertEquals(2, count(q)); // 6 and 9
  }

  @Test
  void hostileValuesAreOnlyEverValues() {
    assertEquals(2, count(leaf("field", "name", "eq", "Robert'); DROP TABLE contacts;--")));
    assertEquals(2, count(leaf("field", "name", "eq", "O'Brien")));
    assertEquals(2, count(leaf("field", "name", "contains", "%_")));
    assertEquals(2, count(leaf("field", "name", "starts_with", "back\\")));
    assertEquals(1, count(leaf("field", "name", "eq", "$1")));
    assertEquals(0, count(leaf("field", "name", "eq", "' OR '1'='1")));
    assertEquals(10, count(leaf("field", "source", "eq", SOURCE)), "the table is still there");
  }

  @Test
  void badFiltersName422WithThePathOfTheBadNode() {
    String[][] cases = {
        {"{\"all\": [{\"field\": \"name; drop\", \"op\": \"eq\", \"value\": 1}]}", "$.all[0].field"},
        {"{\"all\": [{\"field\": \"name\", \"op\": \"eq\", \"value\": \"x\"}, {\"field\": \"c.id) OR (1=1\", \"op\": \"eq\", \"value\": 1}]}", "$.all[1].field"},
        {"{\"any\": [{\"attribute\": \"level\", \"op\": \"between\", \"value\": [1]}]}", "$.any[0].value"},
        {"{\"not\": {\"attribute\": \"undeclared\", \"op\": \"eq\", \"value\": 1}}", "$.not.attribute"},
        {"{\"all\": [{\"field\": \"purchase_count\", \"op\": \"contains\", \"value\": 1}]}", "$.all[0].op"},
        {"{\"birthday\": {\"month\": 2, \"day\": 30}}", "$.birthday.day"},
    };
    for (String[] c : cases) {
      Reply r = api.post("/api/v1/segments/preview", new JsonObject().put("filter", new JsonObject(c[0])));
      assertEquals(422, r.status(), c[0] + " -> " + r);
      assertEquals(c[1], r.errorField(), c[0]);
    }
    Reply missingTag = api.post("/api/v1/segments/preview", new JsonObject().put("filter", new JsonObject().put("has_tag", 99999999)));
    assertEquals(422, missingTag.status());
    Reply noFilter = api.post("/api/v1/segments/preview", new JsonObject());
    assertEquals(422, noFilter.status());
    assertEquals("filter", noFilter.errorField());
  }

  @Test
  void savedSegmentsCountListAndFilterContacts() {
    JsonObject filter = mine(leaf("field", "lifecycle_stage", "eq", "growing"));
    Reply created = api.post("/api/v1/segments", new JsonObject().put("name", "成长期-" + SOURCE).put("filter", filter));
    assertEquals(201, created.status(), created.toString());
    long id = created.json().getLong("id");
    assertEquals(409, api.post("/api/v1/segments", new JsonObject().put("name", "成长期-" + SOURCE).put("filter", filter)).status());
    assertEquals(4, api.get("/api/v1/segments/" + id + "/count").json().getInteger("count"));
    assertEquals(4, api.get("/api/v1/contacts?segment=" + id).items().size());
    assertEquals(2, api.get("/api/v1/contacts?segment=" + id + "&tag=" + coffee).items().size());

    Reply updated = api.patch("/api/v1/segments/" + id, new JsonObject().put("filter",
        mine(leaf("field", "lifecycle_stage", "eq", "mature"))));
    assertEquals(200, updated.status(), updated.toString());
    assertEquals(6, api.get("/api/v1/segments/" + id + "/count").json().getInteger("count"));
    assertEquals(422, api.patch("/api/v1/segments/" + id, new JsonObject().put("filter", new JsonObject().put("x", 1))).status());
    assertEquals(6, api.get("/api/v1/segments/" + id + "/count").json().getInteger("count"), "a rejected change changes nothing");

    assertEquals(204, api.delete("/api/v1/segments/" + id).status());
    assertEquals(404, api.get("/api/v1/segments/" + id).status());
    assertEquals(422, api.get("/api/v1/contacts?segment=" + id).status());
  }
}
