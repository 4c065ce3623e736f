package io.siyu.template;

import static io.siyu.template.TemplateFixtures.api;
import static io.siyu.template.TemplateFixtures.contact;
import static io.siyu.template.TemplateFixtures.key;
import static io.siyu.template.TemplateFixtures.render;
import static io.siyu.template.TemplateFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Template folders: loading, versions only for changed content, folders that do not check out, and the shipped ones. */
class TemplateFilesTest {
  @TempDir
  Path dir;

  private void write(String key, String file, String content) throws Exception {
    Files.createDirectories(dir.resolve(key));
    Files.writeString(dir.resolve(key).resolve(file), content);
  }

  private Map<String, JsonObject> byKey(JsonArray items) {
    return items.stream().map(o -> (JsonObject) o).collect(Collectors.toMap(o -> o.getString("key"), o -> o));
  }

  @Test
  void anUnchangedFolderMakesNoVersionAndAChangedOneTheNext() throws Exception {
    String key = key("files");
    write(key, "template.json", "{\"kind\": \"transactional\", \"description\": \"从文件\", \"subject\": {\"zh-CN\": \"你好 {{ contact.name | default: '朋友' }}\"}}");
    write(key, "sms.zh-CN.txt", "短信 {{ contact.name | default: '朋友' }}\n");
    write(key, "email.zh-CN.html", "<p>邮件</p>");
    write(key, "default.en.txt", "hello");

    JsonObject first = Await.result(service().loadDirectory(dir));
    assertEquals(new JsonObject().put("key", key).put("version", 1).put("created", true),
        byKey(first.getJsonArray("loaded")).get(key));
    JsonObject got = api.get("/api/v1/templates/" + key).json();
    assertEquals("transactional", got.getString("kind"));
    assertEquals("从文件", got.getString("description"));
    JsonObject current = got.getJsonObject("current");
    assertEquals("file", current.getString("source"));
    Map<String, JsonObject> variants = current.getJsonArray("variants").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(v -> v.getString("channel") + "/" + v.getString("locale"), v -> v));
    assertEquals("html", variants.get("email/zh-CN").getString("format"));
    assertEquals("你好 {{ contact.name | default: '朋友' }}", variants.get("email/zh-CN").getString("subject"));
    assertEquals("text", variants.get("sms/zh-CN").getString("format"));
    assertEquals("你好 李雷", render(key, "email", "zh-CN", contact("李雷")).subject());

    JsonObject again = Await.result(service().loadDirectory(dir));
    assertEquals(new JsonObject().put("key", key).put("version", 1).put("created", false),
        byKey(again.getJsonArray("loaded")).get(key));
    assertEquals(1, api.get("/api/v1/templates/" + key).json().getJsonArray("versions").size());

    JsonObject edited = new JsonObject().put("variants", new JsonArray().add(new JsonObject().put("channel", "sms")
        .put("locale", "zh-CN").put("body", "从接口改的")));
    assertEquals(201, api.post("/api/v1/templates/" + key + "/versions", edited).status());
    assertEquals(2, byKey(Await.result(service().loadDirectory(dir)).getJsonArray("loaded")).get(key).getInteger("version"),
        "an unchanged folder leaves a version added through the API current");
    assertEquals("从接口改的", render(key, "sms", "zh-CN", contact(null)).text());

    write(key, "sms.zh-CN.txt", "新短信 {{ contact.name | default: '朋友' }}");
    JsonObject changed = Await.result(service().loadDirectory(dir));
    assertEquals(3, byKey(changed.getJsonArray("loaded")).get(key).getInteger("version"), "a changed folder wins");
    assertEquals("新短信 朋友", render(key, "sms", "zh-CN", contact(null)).text(), "the new version is current at once");
    JsonObject old = api.get("/api/v1/templates/" + key + "/versions/1").json();
    assertTrue(old.getJsonArray("variants").encode().contains("短信 {{ contact.name"), "version 1 is kept as it was");
    assertEquals(3, api.get("/api/v1/templates/" + key).json().getJsonArray("versions").size());
    assertFalse(old.getJsonArray("variants").encode().contains("新短信"));
  }

  @Test
  void aFolderThatDoesNotCheckOutIsSkippedWithItsProblems() throws Exception {
    String good = key("good");
    String broken = key("broken");
    String stray = key("stray");
    write(good, "sms.zh-CN.txt", "好");
    write(broken, "sms.zh-CN.txt", "{% for x in %}");
    write(broken, "template.json", "{\"kind\": \"spam\"}");
    write(stray, "notes.md", "?");
    write("Bad-Key", "sms.zh-CN.txt", "x");
    Files.writeString(dir.resolve("README.md"), "files beside the folders are not templates");

    JsonObject result = Await.result(service().loadDirectory(dir));
    assertEquals(new TreeSet<>(List.of(good)), new TreeSet<>(byKey(result.getJsonArray("loaded")).keySet()));
    Map<String, JsonObject> rejected = byKey(result.getJsonArray("rejected"));
    assertEquals(new TreeSet<>(List.of(broken, stray, "Bad-Key")), new TreeSet<>(rejected.keySet()));
    String problems = rejected.get(broken).getJsonArray("problems").encode();
    assertTrue(problems.contains("variants[0].body") && problems.contains("sms/zh-CN: Liquid syntax error"), problems);
    assertTrue(problems.contains("\"kind\""), problems);
    assertTrue(rejected.get(stray).getJsonArray("problems").getString(0).startsWith("unexpected file notes.md"));
    assertEquals(404, api.get("/api/v1/templates/" + broken).status());

    write(broken, "sms.zh-CN.txt", "{% for x in list %}{{ x }}{% endfor %}");
    write(broken, "template.json", "{\"kind\": \"marketing\"}");
    assertTrue(byKey(Await.result(service().loadDirectory(dir)).getJsonArray("loaded")).containsKey(broken), "fixed, it loads");
  }

  @Test
  void twoLoadsAtOnceWriteOneVersion() throws Exception {
    String key = key("race");
    write(key, "sms.zh-CN.txt", "一次");
    var a = service().loadDirectory(dir);
    var b = service().loadDirectory(dir);
    JsonObject first = byKey(Await.result(a).getJsonArray("loaded")).get(key);
    JsonObject second = byKey(Await.result(b).getJsonArray("loaded")).get(key);
    assertEquals(1, first.getInteger("version"));
    assertEquals(1, second.getInteger("version"));
    assertTrue(first.getBoolean("created") ^ second.getBoolean("created"), "one of them wrote it");
  }

  @Test
  void noDirectoryLoadsNothing() {
    JsonObject result = Await.result(service().loadDirectory(dir.resolve("missing")));
    assertTrue(result.getJsonArray("loaded").isEmpty() && result.getJsonArray("rejected").isEmpty());
  }

  /** Every template a shipped journey sends is loaded at start and renders on every channel, name or not. */
  @Test
  void theShippedTemplatesServeTheShippedJourneys() throws Exception {
    Pattern input = Pattern.compile("name=\"template\">([a-z0-9_]+)<");
    TreeSet<String> keys = new TreeSet<>();
    try (var files = Files.list(Path.of("bpmn"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bpmn")).toList()) {
        Matcher m = input.matcher(Files.readString(f));
        while (m.find()) {
          keys.add(m.group(1));
        }
      }
    }
    assertEquals(8, keys.size(), keys.toString());
    for (String key : keys) {
      JsonObject t = api.get("/api/v1/templates/" + key).json();
      assertEquals("file", t.getJsonObject("current").getString("source"), key);
      for (String channel : List.of("wecom", "sms", "email", "log", "webhook")) {
        for (String locale : List.of("zh-CN", "en")) {
          for (String name : new String[] {null, "李雷"}) {
            Rendered r = render(key, channel, locale, contact(name));
            assertEquals(locale, r.locale(), key + " " + channel);
            assertFalse(r.text().isBlank());
            if (channel.equals("email")) {
              assertNotNull(r.subject(), key);
              assertFalse(r.links().isEmpty(), key + ": every shipped email links somewhere");
            }
          }
        }
      }
    }
  }
}
