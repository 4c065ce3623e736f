package io.siyu.web;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route that answers with a {@code Location} header: the header is plain ASCII whatever the
 * input it names (percent-encoded), it is answered at once, and it leads back to what was made.
 */
class LocationTest {
  private static final Api api = TestSiyu.admin().withTimeout(15);

  /** A create: its path, its body, and what must match between its answer and the resource at Location. */
  record Create(String name, String path, Function<String, JsonObject> body, String idField) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static long contact() {
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("email", "loc-" + unique() + "@example.cn"));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static JsonObject template(String key) {
    return new JsonObject().put("key", key).put("kind", "transactional").put("variants", new JsonArray()
        .add(new JsonObject().put("channel", "sms").put("locale", "zh-CN").put("format", "text").put("body", "你好")));
  }

  static Stream<Create> creates() {
    return Stream.of(
        new Create("contact", "/api/v1/contacts", u -> new JsonObject().put("email", u + "@example.cn"), "id"),
        new Create("tag group", "/api/v1/tag-groups", u -> new JsonObject().put("name", "组 " + u), "id"),
        new Create("segment", "/api/v1/segments", u -> new JsonObject().put("name", "分群 " + u)
            .put("filter", new JsonObject().put("consent", "sms")), "id"),
        new Create("attribute", "/api/v1/attributes", u -> new JsonObject().put("key", "loc_" + u).put("type", "string"),
            "key"),
        new Create("event with an id that needs escaping", "/api/v1/events", u -> new JsonObject()
            .put("id", "订单 " + u + "/a?b#c%d+e&f=g;h").put("type", "page.viewed").put("contact_id", contact()), "id"),
        new Create("right", "/api/v1/rights", u -> new JsonObject().put("code", "loc_" + u).put("name", "权益")
            .put("type", "gift").put("validity_days", 7), "id"),
        new Create("touch", "/api/v1/touches", u -> new JsonObject().put("contact_id", contact()).put("channel", "log")
            .put("template", "welcome_day1"), "id"),
        new Create("template", "/api/v1/templates", u -> template("loc_" + u), "key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creates")
  void locationIsAsciiAndLeadsToWhatWasMade(Create c) {
    Reply created = api.post(c.path(), c.body().apply(unique()));
    assertEquals(201, created.status(), created.toString());
    assertFollows(created, c.idField());
  }

  @Test
  void aGrantsLocationLeadsToTheGrant() {
    long contact = contact();
    Reply r = api.post("/api/v1/contacts/" + contact + "/rights",
        new JsonObject().put("right", "new_member_pack").put("grant_key", "授予 " + unique()));
    assertEquals(201, r.status(), r.toString());
    assertFollows(r, "id");
  }

  @Test
  void aTemplateVersionsLocationLeadsToTheVersion() {
    String key = "loc_" + unique();
    assertEquals(201, api.post("/api/v1/templates", template(key)).status());
    Reply r = api.post("/api/v1/templates/" + key + "/versions", new JsonObject().put("variants", new JsonArray()
        .add(new JsonObject().put("channel", "sms").put("locale", "zh-CN").put("format", "text").put("body", "二"))));
    assertEquals(201, r.status(), r.toString());
    assertFollows(r, "version");
  }

  @Test
  void anImportsLocationLeadsToTheJob() {
    Reply r = api.send(HttpMethod.POST, "/api/v1/imports", "text/csv",
        Buffer.buffer("email\nloc-" + unique() + "@example.cn\n"));
    assertEquals(202, r.status(), r.toString());
    assertFollows(r, "id");
    api.awaitImport(r.json().getLong("id"));
  }

  @Test
  void anEventIdIsEscapedSegmentBySegment() {
    String id = "订单 1/2?x=%";
    Reply r = api.post("/api/v1/events", new JsonObject().put("id", id + unique()).put("type", "page.viewed")
        .put("contact_id", contact()));
    assertEquals(201, r.status(), r.toString());
    assertTrue(r.headers().get("Location").startsWith("/api/v1/events/%E8%AE%A2%E5%8D%95%201%2F2%3Fx%3D%25"),
        r.headers().get("Location"));
  }

  private static void assertFollows(Reply created, String idField) {
    String location = created.headers().get("Location");
    assertNotNull(location, "a Location header");
    assertTrue(location.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f), "printable ASCII only: " + location);
    Reply there = api.get(location);
    assertEquals(200, there.status(), location + " → " + there);
    assertEquals(created.json().getValue(idField), there.json().getValue(idField), location);
  }
}
