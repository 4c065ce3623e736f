package io.siyu.channel.log;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Touches;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.ConsoleCapture;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The {@code log} channel: a test-send shows the message as the member would read it. */
class LogChannelTest {
  private final Api api = TestSiyu.admin();

  private String template(String body) {
    String key = "log_" + unique();
    Reply r = api.post("/api/v1/templates", new JsonObject().put("key", key).put("variants", new JsonArray()
        .add(new JsonObject().put("channel", "default").put("locale", "zh-CN").put("body", body))));
    assertEquals(201, r.status(), r.toString());
    return key;
  }

  private long send(long contact, String template, JsonObject variables) {
    Reply r = api.post("/api/v1/touches", new JsonObject().put("contact_id", contact).put("channel", "log")
        .put("template", template).put("data", new JsonObject().put("variables", variables)));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  @Test
  void theLogHoldsTheRenderedTextAndNeitherMobileNorPayload() throws Exception {
    String key = template("{{ contact.name | default: \"朋友\" }}，您的券码 {{ code }}");
    long contact = api.post("/api/v1/contacts", new JsonObject().put("name", "韩梅梅").put("mobile", "13912345678"))
        .json().getLong("id");
    String code = UUID.randomUUID().toString();
    ConsoleCapture log = new ConsoleCapture();
    log.during(() -> Touches.await(api, send(contact, key, new JsonObject().put("code", code)), "sent"));

    String out = log.text();
    int at = out.indexOf("to contact " + contact + ": template " + key + " version 1");
    assertTrue(at >= 0, out);
    String logged = out.substring(at, Math.min(out.length(), at + 300));
    assertTrue(logged.contains("\n    韩梅梅，您的券码 " + code), "the text as the member reads it: " + logged);
    assertFalse(out.contains("13912345678"), "no mobile in the log");
    assertFalse(out.contains("\"code\""), "the payload is not written out");
  }

  @Test
  void aTemplateThatWouldNotRenderElsewhereFailsHereToo() {
    String key = template("{{ contact.nickname }}，您好");
    JsonObject dead = Touches.await(api, send(Touches.contact(api), key, new JsonObject()), "dead");
    assertTrue(dead.getString("last_error").contains("contact.nickname is not defined"), dead.encode());
  }
}
