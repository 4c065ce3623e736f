package io.siyu.channel.email;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.siyu.outbox.TouchRequest;
import io.siyu.outbox.Touches;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.siyu.support.SmtpServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Email end to end against a real SMTP server on loopback: a marketing touch is rendered (HTML and
 * its text part) and arrives with a one-click unsubscribe link; a GET of the link changes nothing
 * (mail scanners open links), a POST unsubscribes, and the next marketing email is suppressed.
 */
class EmailDeliveryTest {
  @RegisterExtension
  static final SmtpServer smtp = new SmtpServer();

  @RegisterExtension
  static final OwnServer server = new OwnServer(smtp.env(), Map.of("SIYU_SMTP_FROM", "私域会员 <noreply@brand.example>",
      "SIYU_OUTBOX_POLL_MS", "20", "SIYU_CHANNEL_FALLBACK", "none"));

  @Test
  void marketingMailArrivesWithAWorkingOneClickUnsubscribe() throws Exception {
    String address = "member-" + unique() + "@example.com";
    Api.Reply created = server.api().post("/api/v1/contacts", new JsonObject().put("email", address).put("name", "韩梅梅")
        .put("consent", new JsonObject().put("email", true)));
    assertEquals(201, created.status(), created.toString());
    long contact = created.json().getLong("id");
    String key = "mail-" + unique();
    long id = Touches.enqueue(server.siyu(), new TouchRequest(key, contact, "birthday", null, "send", "email", "birthday", "{}")).get(0);
    assertEquals("sent", Touches.settle(server.api(), id).getString("status"));

    MimeMessage mail = Arrays.stream(smtp.received()).filter(m -> {
      try {
        return Arrays.toString(m.getAllRecipients()).contains(address);
      } catch (Exception e) {
        return false;
      }
    }).findFirst().orElseThrow();
    String raw = GreenMailUtil.getWholeMessage(mail);
    assertTrue(raw.contains("text/html") && raw.contains("text/plain"), "HTML with a text alternative");
    String unsubscribe = mail.getHeader("List-Unsubscribe")[0].replaceAll("[<>]", "");
    assertTrue(unsubscribe.startsWith("http://localhost:8080/webhooks/unsubscribe/"), unsubscribe);
    assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);

    Api member = server.as(null);
    String link = URI.create(unsubscribe).getPath();
    assertEquals(200, member.get(link).status());
    assertTrue(server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("consent").getBoolean("email"),
        "opening the link alone unsubscribes nobody");
    Api.Reply done = member.send(HttpMethod.POST, link, "application/x-www-form-urlencoded",
        Buffer.buffer("List-Unsubscribe=One-Click"));
    assertEquals(200, done.status());
    assertFalse(server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("consent").getBoolean("email"));

    long next = Touches.enqueue(server.siyu(), new TouchRequest(key + "-2", contact, "birthday", null, "send", "email",
        "birthday", "{}")).get(0);
    assertEquals("suppressed", Touches.settle(server.api(), next).getString("status"));
    assertEquals(404, member.send(HttpMethod.POST, "/webhooks/unsubscribe/nope", null, null).status());
  }
}
