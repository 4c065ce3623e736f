package io.siyu.attribute;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Declaring, changing and retiring custom attributes. */
class AttributeApiTest {
  private static final Api api = TestSiyu.admin();

  private static String key() {
    return "a_" + unique();
  }

  @Test
  void declareReadChangeAndDelete() {
    String k = key();
    Reply created = api.post("/api/v1/attributes", new JsonObject().put("key", k).put("type", "enum")
        .put("enum_values", new JsonArray().add("银卡").add("金卡")).put("description", "会员等级"));
    assertEquals(201, created.status(), created.toString());
    assertEquals("/api/v1/attributes/" + k, created.headers().get("Location"));
    assertEquals(409, api.post("/api/v1/attributes", new JsonObject().put("key", k).put("type", "string")).status());

    Reply changed = api.patch("/api/v1/attributes/" + k, new JsonObject()
        .put("enum_values", new JsonArray().add("银卡").add("金卡").add("钻石")));
    assertEquals(200, changed.status(), changed.toString());
    assertEquals(3, changed.json().getJsonArray("enum_values").size());
    assertEquals("会员等级", changed.json().getString("description"));
    assertEquals(422, api.patch("/api/v1/attributes/" + k, new JsonObject().put("type", "string")).status());

    // the new value is usable at once on this instance
    assertEquals(201, api.post("/api/v1/contacts", new JsonObject().put("openid", "o-" + k)
        .put("attributes", new JsonObject().put(k, "钻石"))).status());
    assertTrue(api.get("/api/v1/attributes").body().contains(k));
    assertEquals("enum", api.get("/api/v1/attributes/" + k).json().getString("type"));
  }

  @Test
  void anAttributeInUseCannotBeDeleted() {
    String k = key();
    api.post("/api/v1/attributes", new JsonObject().put("key", k).put("type", "number"));
    long id = api.post("/api/v1/contacts", new JsonObject().put("openid", "o-" + k)
        .put("attributes", new JsonObject().put(k, 1.5))).json().getLong("id");
    assertEquals(409, api.delete("/api/v1/attributes/" + k).status());
    api.patch("/api/v1/contacts/" + id, new JsonObject().put("attributes", new JsonObject().putNull(k)));
    assertEquals(204, api.delete("/api/v1/attributes/" + k).status());
    assertEquals(404, api.get("/api/v1/attributes/" + k).status());
    assertEquals(404, api.delete("/api/v1/attributes/" + k).status());
  }

  @Test
  void declarationsAreValidated() {
    assertEquals("key", api.post("/api/v1/attributes", new JsonObject().put("key", "Bad Key").put("type", "string")).errorField());
    assertEquals("type", api.post("/api/v1/attributes", new JsonObject().put("key", key()).put("type", "json")).errorField());
    assertEquals("enum_values", api.post("/api/v1/attributes", new JsonObject().put("key", key()).put("type", "enum")).errorField());
    assertEquals("enum_values", api.post("/api/v1/attributes", new JsonObject().put("key", key()).put("type", "string")
        .put("enum_values", new JsonArray().add("x"))).errorField());
    assertEquals(404, api.patch("/api/v1/attributes/" + key(), new JsonObject().put("description", "x")).status());
  }
}
