package io.siyu.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contacts through the HTTP API: upsert by identity, validation, PATCH, delete, filters and paging. */
class ContactApiTest {
  private static final Api api = TestSiyu.admin();

  @BeforeAll
  static void attributes() {
    for (JsonObject def : new JsonObject[] {
        new JsonObject().put("key", "city").put("type", "string"),
        new JsonObject().put("key", "level").put("type", "integer"),
        new JsonObject().put("key", "vip").put("type", "boolean"),
        new JsonObject().put("key", "size").put("type", "enum").put("enum_values", new JsonArray().add("S").add("M"))}) {
      Reply r = api.post("/api/v1/attributes", def);
      assertTrue(r.status() == 201 || r.status() == 409, r.toString());
    }
  }

  private static String uniqueMobile() {
    return "139" + String.format("%08d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000));
  }

  @Test
  void createsNormalisesAndReads() {
    String mobile = uniqueMobile();
    Reply r = api.post("/api/v1/contacts", new JsonObject()
        .put("mobile", mobile.substring(0, 3) + " " + mobile.substring(3, 7) + "-" + mobile.substring(7))
        .put("email", "Li.Lei+" + mobile + "@Example.COM")
        .put("name", "李雷").put("gender", "male").put("birthday", "2000-02-29")
        .put("consent", new JsonObject().put("sms", true))
        .put("attributes", new JsonObject().put("city", "上海").put("level", 3)));
    assertEquals(201, r.status(), r.toString());
    JsonObject c = r.json();
    assertEquals("+86" + mobile, c.getString("mobile"));
    assertEquals("li.lei+" + mobile + "@example.com", c.getString("email"));
    assertEquals("2000-02-29", c.getString("birthday"));
    assertEquals("Asia/Shanghai", c.getString("timezone"));
    assertEquals("new", c.getString("lifecycle_stage"));
    assertEquals(0, c.getInteger("purchase_count"));
    assertTrue(r.headers().get("Location").endsWith("/api/v1/contacts/" + c.getLong("id")));

    Reply read = api.get("/api/v1/contacts/" + c.getLong("id"));
    assertEquals(200, read.status());
    assertEquals("李雷", read.json().getString("name"));
    assertEquals(3, read.json().getJsonObject("attributes").getInteger("level"));
    assertEquals(new JsonArray(), read.json().getJsonArray("tags"));
  }

  @Test
  void anExistingIdentityUpdatesInsteadOfDuplicating() {
    String mobile = uniqueMobile();
    long id = api.post("/api/v1/contacts", new JsonObject().put("mobile", mobile).put("name", "A")).json().getLong("id");
    Reply again = api.post("/api/v1/contacts", new JsonObject().put("mobile", "+86" + mobile)
        .put("unionid", "u-" + mobile).put("name", "B"));
    assertEquals(200, again.status(), again.toString());
    assertEquals(id, again.json().getLong("id"));
    assertEquals("B", again.json().getString("name"));
    assertEquals("u-" + mobile, again.json().getString("unionid"));
    assertEquals(1, api.get("/api/v1/contacts?mobile=" + mobile).items().size());
  }

  @Test
  void identitiesOfTwoContactsConflictNamingBoth() {
    String m1 = uniqueMobile();
    long a = api.post("/api/v1/contacts", new JsonObject().put("mobile", m1)).json().getLong("id");
    long b = api.post("/api/v1/contacts", new JsonObject().put("email", m1 + "@b.cn")).json().getLong("id");
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("mobile", m1).put("email", m1 + "@b.cn").put("name", "X"));
    assertEquals(409, r.status(), r.toString());
    assertEquals("conflict", r.problemType());
    Set<Long> named = new HashSet<>();
    r.json().getJsonArray("contacts").forEach(o -> named.add(((JsonObject) o).getLong("id")));
    assertEquals(Set.of(a, b), named);
    assertNull(api.get("/api/v1/contacts/" + a).json().getString("name"), "a rejected request changes nothing");
  }

  @Test
  void validationNamesEveryBadField() {
    Reply r = api.post("/api/v1/contacts", new JsonObject()
        .put("mobile", "12345").put("email", "not-an-email").put("gender", "x").put("birthday", "2001-02-29")
        .put("timezone", "Mars/Olympus").put("attributes", new JsonObject().put("level", "high").put("nope", 1))
        .put("purchase_count", 9).put("colour", "red"));
    assertEquals(422, r.status());
    assertEquals("validation", r.problemType());
    Set<String> fields = new HashSet<>();
    r.json().getJsonArray("errors").forEach(o -> fields.add(((JsonObject) o).getString("field")));
    assertEquals(Set.of("mobile", "email", "gender", "birthday", "timezone", "attributes", "purchase_count", "colour"), fields);
  }

  @Test
  void aContactNeedsAnIdentity() {
    Reply r = api.post("/api/v1/contacts", new JsonObject().put("name", "nobody"));
    assertEquals(422, r.status());
    assertEquals("identities", r.errorField());
  }

  @Test
  void attributeValuesMustFitTheirDeclaration() {
    String m = uniqueMobile();
    assertEquals(422, api.post("/api/v1/contacts", new JsonObject().put("mobile", m)
        .put("attributes", new JsonObject().put("size", "XL"))).status());
    assertEquals(422, api.post("/api/v1/contacts", new JsonObject().put("mobile", m)
        .put("attributes", new JsonObject().put("vip", "yes"))).status());
    assertEquals(422, api.post("/api/v1/contacts", new JsonObject().put("mobile", m)
        .put("attributes", new JsonObject().put("level", 2.5))).status());
    assertEquals(201, api.post("/api/v1/contacts", new JsonObject().put("mobile", m)
        .put("attributes", new JsonObject().put("size", "M").put("vip", true).put("level", 2))).status());
  }

  @Test
  void patchChangesOnlyWhatIsSentAndMergesAttributes() {
    String m = uniqueMobile();
    long id = api.post("/api/v1/contacts", new JsonObject().put("mobile", m).put("name", "Han Meimei")
        .put("attributes", new JsonObject().put("city", "北京").put("level", 1))).json().getLong("id");
    Reply r = api.patch("/api/v1/contacts/" + id, new JsonObject().put("gender", "female")
        .put("attributes", new JsonObject().put("level", 5).putNull("city")));
    assertEquals(200, r.status(), r.toString());
    assertEquals("Han Meimei", r.json().getString("name"));
    assertEquals("female", r.json().getString("gender"));
    assertEquals(new JsonObject().put("level", 5), r.json().getJsonObject("attributes"));

    assertEquals(422, api.patch("/api/v1/contacts/" + id, new JsonObject().put("lifecycle_stage", "vip")).status());
    assertEquals(422, api.patch("/api/v1/contacts/" + id, new JsonObject()).status());
    assertEquals(404, api.patch("/api/v1/contacts/99999999", new JsonObject().put("name", "x")).status());
  }

  @Test
  void patchToAnotherContactsIdentityIs409NamingBoth() {
    String m1 = uniqueMobile();
    String m2 = uniqueMobile();
    long a = api.post("/api/v1/contacts", new JsonObject().put("mobile", m1)).json().getLong("id");
    long b = api.post("/api/v1/contacts", new JsonObject().put("mobile", m2)).json().getLong("id");
    Reply r = api.patch("/api/v1/contacts/" + b, new JsonObject().put("mobile", m1));
    assertEquals(409, r.status(), r.toString());
    assertEquals(new JsonArray().add(b).add(a), r.json().getJsonArray("contacts"));
    assertEquals("+86" + m2, api.get("/api/v1/contacts/" + b).json().getString("mobile"));
  }

  @Test
  void deleteRemovesTheContact() {
    long id = api.post("/api/v1/contacts", new JsonObject().put("openid", "o-" + UUID.randomUUID())).json().getLong("id");
    assertEquals(204, api.delete("/api/v1/contacts/" + id).status());
    assertEquals(404, api.get("/api/v1/contacts/" + id).status());
    assertEquals(404, api.delete("/api/v1/contacts/" + id).status());
  }

  @Test
  void listFiltersByIdentityNameLifecycleAndPagesWithACursor() {
    String tag = "pg" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 7; i++) {
      api.post("/api/v1/contacts", new JsonObject().put("external_userid", tag + "-" + i).put("name", tag + " 用户 " + i)
          .put("lifecycle_stage", i % 2 == 0 ? "growing" : "mature"));
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply page = api.get("/api/v1/contacts?name=" + tag + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.status(), page.toString());
      page.items().forEach(o -> seen.add(((JsonObject) o).getString("external_userid")));
      cursor = page.json().getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertEquals(7, seen.size());
    assertEquals(3, pages);

    assertEquals(4, api.get("/api/v1/contacts?name=" + tag + "&lifecycle_stage=growing").items().size());
    Reply one = api.get("/api/v1/contacts?external_userid=" + tag + "-3");
    assertEquals(1, one.items().size());
    assertEquals("mature", one.items().getJsonObject(0).getString("lifecycle_stage"));
    assertEquals(0, api.get("/api/v1/contacts?name=%25%25" + tag).items().size(), "% in a name filter is literal");
  }

  @Test
  void updatedSinceFiltersAndBadParametersAre422() {
    String m = uniqueMobile();
    api.post("/api/v1/contacts", new JsonObject().put("mobile", m));
    assertEquals(1, api.get("/api/v1/contacts?mobile=" + m + "&updated_since=2020-01-01T00:00:00Z").items().size());
    assertEquals(0, api.get("/api/v1/contacts?mobile=" + m + "&updated_since=2999-01-01T00:00:00Z").items().size());
    assertEquals("lifecyle", api.get("/api/v1/contacts?lifecyle=new").errorField());
    assertEquals("limit", api.get("/api/v1/contacts?limit=0").errorField());
    assertEquals("cursor", api.get("/api/v1/contacts?cursor=abc").errorField());
    assertEquals("tag", api.get("/api/v1/contacts?tag=x").errorField());
  }

  @Test
  void concurrentCreatesOfTheSamePersonMakeOneContact() throws Exception {
    String m = uniqueMobile();
    var results = new java.util.concurrent.ConcurrentLinkedQueue<Reply>();
    Thread[] threads = new Thread[8];
    for (int i = 0; i < threads.length; i++) {
      int n = i;
      threads[i] = new Thread(() -> results.add(api.post("/api/v1/contacts",
          new JsonObject().put("mobile", m).put("name", "racer " + n))));
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    Set<Long> ids = new HashSet<>();
    for (Reply r : results) {
      assertTrue(r.status() == 201 || r.status() == 200, r.toString());
      ids.add(r.json().getLong("id"));
    }
    assertEquals(1, ids.size());
    assertEquals(1, results.stream().filter(r -> r.status() == 201).count());
    assertNotNull(api.get("/api/v1/contacts?mobile=" + m).items().getJsonObject(0));
  }
}
