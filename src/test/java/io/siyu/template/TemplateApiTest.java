package io.siyu.template;

import static io.siyu.template.TemplateFixtures.api;
import static io.siyu.template.TemplateFixtures.email;
import static io.siyu.template.TemplateFixtures.key;
import static io.siyu.template.TemplateFixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/templates}: create, versions, reading, paging, validation and previews for a contact. */
class TemplateApiTest {

  private static JsonObject template(String key, JsonObject... variants) {
    return new JsonObject().put("key", key).put("kind", "transactional").put("description", "测试")
        .put("variants", new JsonArray(List.of((Object[]) variants)));
  }

  private static JsonObject variants(JsonObject... variants) {
    return new JsonObject().put("variants", new JsonArray(List.of((Object[]) variants)));
  }

  private static Set<String> errorFields(Reply r) {
    Set<String> fields = new HashSet<>();
    r.json().getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  @Test
  void aTemplateKeepsEveryVersionAndTheHighestIsCurrent() {
    String key = key("versions");
    Reply created = api.post("/api/v1/templates", template(key, variant("sms", "zh-CN", "第一版")));
    assertEquals(201, created.status(), created.toString());
    assertEquals("/api/v1/templates/" + key, created.headers().get("Location"));
    assertEquals(1, created.json().getInteger("current_version"));
    assertEquals("transactional", created.json().getString("kind"));

    Reply second = api.post("/api/v1/templates/" + key + "/versions", variants(variant("sms", "zh-CN", "第二版"),
        variant("sms", "en", "second")));
    assertEquals(201, second.status(), second.toString());
    assertEquals("/api/v1/templates/" + key + "/versions/2", second.headers().get("Location"));
    assertEquals(2, second.json().getInteger("version"));
    assertTrue(second.json().getString("created_by").startsWith("token:"), second.toString());
    assertEquals("api", second.json().getString("source"));

    Reply same = api.post("/api/v1/templates/" + key + "/versions", variants(variant("sms", "en", "second"),
        variant("sms", "zh-CN", "第二版")));
    assertEquals(200, same.status(), "the same variants in another order are no new version: " + same);
    assertEquals(2, same.json().getInteger("version"));

    JsonObject got = api.get("/api/v1/templates/" + key).json();
    assertEquals(2, got.getInteger("current_version"));
    assertEquals(2, got.getJsonObject("current").getJsonArray("variants").size());
    JsonArray versions = got.getJsonArray("versions");
    assertEquals(List.of(2, 1), versions.stream().map(v -> ((JsonObject) v).getInteger("version")).toList());
    assertNull(versions.getJsonObject(1).getValue("variants"), "the list holds headers only");

    JsonObject first = api.get("/api/v1/templates/" + key + "/versions/1").json();
    assertEquals("第一版", first.getJsonArray("variants").getJsonObject(0).getString("body"));
    assertEquals("text", first.getJsonArray("variants").getJsonObject(0).getString("format"));
    assertEquals(404, api.get("/api/v1/templates/" + key + "/versions/3").status());
    assertEquals(404, api.get("/api/v1/templates/" + key + "/versions/x").status());
    assertEquals(404, api.get("/api/v1/templates/no_such_key").status());
    assertEquals(404, api.post("/api/v1/templates/no_such_key/versions", variants(variant("sms", "zh-CN", "x"))).status());
    assertEquals(409, api.post("/api/v1/templates", template(key, variant("sms", "zh-CN", "again"))).status());
  }

  @Test
  void templatesAreListedInPages() {
    for (int i = 0; i < 3; i++) {
      TemplateFixtures.create("page", variant("log", "zh-CN", "x"));
    }
    Reply first = api.get("/api/v1/templates?limit=2");
    assertEquals(2, first.items().size());
    String cursor = first.json().getString("next_cursor");
    assertNotNull(cursor);
    Reply next = api.get("/api/v1/templates?limit=2&cursor=" + cursor);
    assertTrue(next.items().getJsonObject(0).getLong("id") > first.items().getJsonObject(1).getLong("id"));
    assertTrue(next.items().getJsonObject(0).containsKey("current_version"));
    assertEquals(422, api.get("/api/v1/templates?limit=0").status());
  }

  @Test
  void everyBadFieldIsListed() {
    Reply r = api.post("/api/v1/templates", new JsonObject().put("key", "Bad-Key").put("kind", "spam").put("colour", "red")
        .put("variants", new JsonArray()
            .add(variant("fax", "zh-CN", "x"))
            .add(variant("sms", "chinese!", ""))
            .add(variant("sms", "zh-CN", "x").put("subject", "不该有").put("extra", 1))
            .add(variant("email", "zh-CN", "<p>x</p>"))
            .add(variant("wecom", "en", "x").put("format", "pdf"))
            .add("not an object")));
    assertEquals(422, r.status(), r.toString());
    assertEquals("validation", r.problemType());
    assertEquals(Set.of("key", "kind", "colour", "variants[0].channel", "variants[1].locale", "variants[1].body",
        "variants[2].subject", "variants[2].extra", "variants[3].subject", "variants[4].format", "variants[5]"),
        errorFields(r));
    assertEquals(Set.of("variants"), errorFields(api.post("/api/v1/templates",
        new JsonObject().put("key", key("empty")).put("variants", new JsonArray()))));
    assertEquals(Set.of("variants[1]"), errorFields(api.post("/api/v1/templates", template(key("dup"),
        variant("sms", "zh-CN", "a"), variant("sms", "zh-cn", "b")))));
    assertEquals(415, api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/templates", "text/plain",
        io.vertx.core.buffer.Buffer.buffer("x")).status());
  }

  @Test
  void aLiquidSyntaxErrorIs422NamingTheVariantAndStoresNothing() {
    String key = key("syntax");
    Reply r = api.post("/api/v1/templates", template(key, variant("sms", "zh-CN", "好"),
        email("en", "Hi {{ contact.name", "<p>{% if %}</p>")));
    assertEquals(422, r.status(), r.toString());
    JsonArray errors = r.json().getJsonArray("errors");
    assertEquals(Set.of("variants[1].subject", "variants[1].body"), errorFields(r), "fields name the request's own positions");
    String body = errors.stream().map(e -> (JsonObject) e).filter(e -> e.getString("field").equals("variants[1].body"))
        .findFirst().orElseThrow().getString("message");
    assertTrue(body.startsWith("email/en: Liquid syntax error: parser error"), body);
    assertTrue(body.contains("line 1"), body);
    assertEquals(404, api.get("/api/v1/templates/" + key).status(), "nothing stored");

    TemplateFixtures.api.post("/api/v1/templates", template(key, variant("sms", "zh-CN", "好")));
    Reply bad = api.post("/api/v1/templates/" + key + "/versions", variants(variant("sms", "zh-CN", "{{ x | no_such_filter }}")));
    assertEquals(422, bad.status(), bad.toString());
    assertTrue(bad.json().getJsonArray("errors").getJsonObject(0).getString("message").contains("no_such_filter"), bad.toString());
    assertEquals(1, api.get("/api/v1/templates/" + key).json().getInteger("current_version"), "no version added");
  }

  @Test
  void aPreviewRendersForTheContactsOwnData() {
    Reply c = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key("ext")).put("name", "韩梅梅")
        .put("birthday", "1992-05-01"));
    long contact = c.json().getLong("id");
    long group = api.post("/api/v1/tag-groups", new JsonObject().put("name", key("g"))).json().getLong("id");
    long tag = api.post("/api/v1/tags", new JsonObject().put("group_id", group).put("name", "咖啡")).json().getLong("id");
    api.post("/api/v1/contacts/" + contact + "/tags", new JsonObject().put("tag_ids", new JsonArray().add(tag)));
    String key = TemplateFixtures.create("preview", variant("wecom", "zh-CN",
            "{{ contact.name }}，生日 {{ contact.birthday }}，积分 {{ contact.points_balance }}，"
                + "{% if contact.tags contains '咖啡' %}咖啡控，{% endif %}券 {{ coupon.code | default: '无' }}"),
        variant("sms", "zh-CN", "{{ contact.name }}{{ contact.nickname }}"));

    Reply preview = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "wecom").put("variables", new JsonObject().put("coupon", new JsonObject().put("code", "A1"))));
    assertEquals(200, preview.status(), preview.toString());
    assertEquals("韩梅梅，生日 1992-05-01，积分 0，咖啡控，券 A1", preview.json().getString("text"));
    assertEquals(1, preview.json().getInteger("version"));
    assertEquals("zh-CN", preview.json().getString("locale"));

    Reply missing = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "sms"));
    assertEquals(422, missing.status(), missing.toString());
    assertEquals("render-failed", missing.problemType());
    assertEquals("contact.nickname is not defined", missing.json().getString("detail"));

    assertEquals(404, api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", 999_999_999)
        .put("channel", "wecom")).status(), "unknown contact");
    assertEquals(404, api.post("/api/v1/templates/no_such_key/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "wecom")).status(), "unknown template");
    Reply bad = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("channel", "fax")
        .put("locale", "??").put("variables", new JsonObject().put("contact", new JsonObject())).put("send", true));
    assertEquals(Set.of("contact_id", "channel", "locale", "variables.contact", "send"), errorFields(bad));
  }

  @Test
  void aPreviewIsInTheContactsOwnLocaleUnlessOneIsAsked() {
    Reply bad = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key("ext")).put("locale", "english"));
    assertEquals(422, bad.status(), bad.toString());
    assertEquals(Set.of("locale"), errorFields(bad));
    Reply c = api.post("/api/v1/contacts", new JsonObject().put("external_userid", key("ext")).put("name", "Lily")
        .put("locale", "en-us"));
    assertEquals("en-US", c.json().getString("locale"), "stored in canonical case");
    long contact = c.json().getLong("id");
    String key = TemplateFixtures.create("locale", variant("wecom", "zh-CN", "{{ contact.name }}，你好"),
        variant("wecom", "en", "Hello, {{ contact.name }}"));

    Reply own = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "wecom"));
    assertEquals(200, own.status(), own.toString());
    assertEquals("Hello, Lily", own.json().getString("text"), "en-US falls back to the en variant");
    assertEquals("en", own.json().getString("locale"));

    Reply asked = api.post("/api/v1/templates/" + key + "/preview", new JsonObject().put("contact_id", contact)
        .put("channel", "wecom").put("locale", "zh-CN"));
    assertEquals("Lily，你好", asked.json().getString("text"), "a locale asked for wins over the contact's");
  }

  @Test
  void managersMayReadAndPreviewButNotWrite() {
    var manager = TestSiyu.withRole("manager");
    assertEquals(403, manager.post("/api/v1/templates", template(key("mgr"), variant("sms", "zh-CN", "x"))).status());
    assertEquals(200, manager.get("/api/v1/templates").status());
    assertEquals(401, TestSiyu.anonymous().get("/api/v1/templates").status());
  }
}
