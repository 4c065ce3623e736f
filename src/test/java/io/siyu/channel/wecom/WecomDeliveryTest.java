package io.siyu.channel.wecom;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.TouchRequest;
import io.siyu.outbox.Touches;
import io.siyu.support.Api;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.wecom.api.WecomClient;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Touches on the wecom channel end to end: rendered from the shipped templates for the contact,
 * links tracked, sent to a loopback server speaking the WeCom API — a customer message from the
 * owner staff member, the welcome message with the add's welcome code — and a template that does
 * not render is a dead letter saying why, with nothing sent.
 */
class WecomDeliveryTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env(),
      Map.of("SIYU_OUTBOX_POLL_MS", "20", "SIYU_PUBLIC_URL", "https://m.brand.example"));

  private static long contact(String name) {
    Api.Reply r = server.api().post("/api/v1/contacts", new JsonObject().put("external_userid", "wm-" + unique())
        .put("name", name).put("owner_staff_id", "zhangsan"));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static JsonObject send(long contact, String template, JsonObject payload) throws Exception {
    String key = "wecom-" + unique();
    long id = Touches.enqueue(server.siyu(), new TouchRequest(key, contact, "welcome", null, "send", "wecom", template,
        payload.encode())).get(0);
    return Touches.settle(server.api(), id);
  }

  @Test
  void aCustomerMessageIsRenderedForTheContactWithTrackedLinks() throws Exception {
    long contact = contact("韩梅梅");
    JsonObject touch = send(contact, "welcome", new JsonObject());
    assertEquals("sent", touch.getString("status"), touch.encode());
    FakeWecom.Request call = wecom.requests(WecomClient.ADD_MSG_TEMPLATE).stream()
        .filter(r -> r.body().encode().contains("韩梅梅")).findFirst().orElseThrow();
    assertEquals("zhangsan", call.body().getString("sender"));
    String text = call.body().getJsonObject("text").getString("content");
    assertTrue(text.startsWith("韩梅梅，欢迎加入会员"), text);
    assertTrue(text.contains("https://m.brand.example/l/") && !text.contains("https://example.com/member"),
        "the link is the tracked one: " + text);
  }

  @Test
  void theWelcomeMessageUsesTheAddsWelcomeCode() throws Exception {
    long contact = contact("李雷");
    String code = wecom.messages().issueWelcomeCode();
    JsonObject touch = send(contact, "welcome", new JsonObject().put("welcome_code", code)
        .put("welcome_code_at", Instant.now().toString()).put("kind", "transactional"));
    assertEquals("sent", touch.getString("status"), touch.encode());
    FakeWecom.Request call = wecom.requests(WecomClient.SEND_WELCOME_MSG).stream()
        .filter(r -> code.equals(r.body().getString("welcome_code"))).findFirst().orElseThrow();
    assertTrue(call.body().getJsonObject("text").getString("content").startsWith("李雷"), call.body().encode());
  }

  @Test
  void aTemplateThatDoesNotRenderIsDeadAndNothingIsSent() throws Exception {
    int before = wecom.requests(WecomClient.ADD_MSG_TEMPLATE).size();
    JsonObject touch = send(contact("王芳"), "no_such_template", new JsonObject());
    assertEquals("dead", touch.getString("status"));
    assertTrue(touch.getString("last_error").startsWith("render failed: "), touch.encode());
    assertTrue(touch.getString("last_error").contains("no_such_template"), touch.encode());
    assertEquals(before, wecom.requests(WecomClient.ADD_MSG_TEMPLATE).size());
  }
}
