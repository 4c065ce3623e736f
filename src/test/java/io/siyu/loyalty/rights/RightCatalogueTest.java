package io.siyu.loyalty.rights;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rights catalogue: create, read, page, change, retire, and what it refuses. */
class RightCatalogueTest {
  private static final Api api = TestSiyu.admin();

  static JsonObject right(String code) {
    return new JsonObject().put("code", code).put("name", "券 " + code).put("type", "coupon").put("validity_days", 30);
  }

  @Test
  void theSeededExamplesExist() {
    Map<String, JsonObject> byCode = new HashMap<>();
    String cursor = null;
    do {
      Reply page = api.get("/api/v1/rights?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.status(), page.toString());
      page.items().forEach(o -> byCode.put(((JsonObject) o).getString("code"), (JsonObject) o));
      cursor = page.json().getString("next_cursor");
    } while (cursor != null);

    JsonObject pack = byCode.get("new_member_pack");
    assertEquals("新人大礼包", pack.getString("name"));
    assertEquals("gift", pack.getString("type"));
    assertEquals(30, pack.getInteger("validity_days"));
    assertNull(pack.getValue("stock"), "unlimited");
    JsonObject birthday = byCode.get("birthday");
    assertEquals("生日权益", birthday.getString("name"));
    assertEquals("coupon", birthday.getString("type"));
    assertEquals(0, new BigDecimal("50").compareTo(new BigDecimal(birthday.getValue("value").toString())));
    assertEquals(30, birthday.getInteger("validity_days"));
    assertNull(birthday.getValue("stock"));
  }

  @Test
  void createGetPatchRetire() {
    String code = "vip.lounge-" + unique();
    Reply created = api.post("/api/v1/rights", right(code).put("type", "privilege").put("value", 99.5)
        .put("tiers", new JsonArray().add("gold").add("platinum")).put("stock", 3).put("description", "贵宾室"));
    assertEquals(201, created.status(), created.toString());
    JsonObject r = created.json();
    long id = r.getLong("id");
    assertEquals("/api/v1/rights/" + id, created.headers().get("Location"));
    assertEquals(new JsonArray().add("gold").add("platinum"), r.getJsonArray("tiers"));
    assertEquals(3, r.getInteger("stock"));
    assertNull(r.getValue("retired_at"));
    assertEquals(code, api.get("/api/v1/rights/" + id).json().getString("code"));

    Reply patched = api.patch("/api/v1/rights/" + id, new JsonObject().put("name", "贵宾室权益").put("stock", null));
    assertEquals(200, patched.status(), patched.toString());
    assertEquals("贵宾室权益", patched.json().getString("name"));
    assertNull(patched.json().getValue("stock"), "null makes it unlimited");
    assertEquals(99.5, patched.json().getDouble("value"), "fields not sent keep their value");
    assertEquals("code", api.patch("/api/v1/rights/" + id, new JsonObject().put("code", "other")).errorField());

    Reply retired = api.post("/api/v1/rights/" + id + "/retire", null);
    assertEquals(200, retired.status(), retired.toString());
    String at = retired.json().getString("retired_at");
    assertNotNull(at);
    assertEquals(at, api.post("/api/v1/rights/" + id + "/retire", null).json().getString("retired_at"),
        "retiring again keeps the first time");
    assertEquals(404, api.get("/api/v1/rights/99999999").status());
    assertEquals(404, api.patch("/api/v1/rights/99999999", new JsonObject().put("name", "x")).status());
  }

  @Test
  void codesAreUnique() {
    String code = "dup_" + unique();
    assertEquals(201, api.post("/api/v1/rights", right(code)).status());
    Reply dup = api.post("/api/v1/rights", right(code));
    assertEquals(409, dup.status(), dup.toString());
    assertEquals("conflict", dup.problemType());
  }

  @Test
  void badFieldsAreNamed() {
    String code = "bad_" + unique();
    assertInvalid(right("Bad Code"), "code");
    assertInvalid(right("9lives"), "code");
    assertInvalid(right(code).put("type", "voucher"), "type");
    assertInvalid(right(code).put("stock", -1), "stock");
    assertInvalid(right(code).put("stock", 1.5), "stock");
    assertInvalid(right(code).put("value", -0.01), "value");
    assertInvalid(right(code).put("value", 1.005), "value");
    assertInvalid(right(code).put("validity_days", 0), "validity_days");
    assertInvalid(right(code).put("validity_days", 3651), "validity_days");
    assertInvalid(right(code).put("tiers", new JsonArray()), "tiers");
    assertInvalid(right(code).put("tiers", "gold"), "tiers");
    assertInvalid(right(code).put("colour", "red"), "colour");
    assertInvalid(new JsonObject().put("code", code).put("type", "gift").put("validity_days", 1), "name");
    Reply several = api.post("/api/v1/rights", new JsonObject());
    assertEquals(4, several.json().getJsonArray("errors").size(), several.toString());
    assertTrue(several.contentType().startsWith("application/problem+json"));
  }

  private static void assertInvalid(JsonObject body, String field) {
    Reply r = api.post("/api/v1/rights", body);
    assertEquals(422, r.status(), r.toString());
    assertEquals("validation", r.problemType());
    assertEquals(field, r.errorField());
  }
}
