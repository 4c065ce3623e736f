package io.siyu.channel.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.siyu.outbox.TouchRequest;
import io.siyu.outbox.Touches;
import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Email end to end against a real SMTP server on loopback: a marketing touch is rendered (HTML and
 * its text part) and arrives with a one-click unsubscribe link; a GET of the link changes nothing
 * (mail scanners open links), a POST unsubscribes, and the next marketing email is suppressed.
 */
class EmailDeliveryTest {
  private static final GreenMail smtp = start();

  private static GreenMail start() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    g.start();
    return g;
  }

  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of("SIYU_SMTP_HOST", "127.0.0.1",
      "SIYU_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SIYU_SMTP_STARTTLS", "DISABLED",
      "SIYU_SMTP_FROM", "私域会员 <noreply@brand.example>", "SIYU_OUTBOX_POLL_MS", "20", "SIYU_CHANNEL_FALLBACK", "none"));

  @AfterAll
  static void stop() {
    smtp.stop();
  }

  @Test
  void marketingMailArrivesWithAWorkingOneClickUnsubscribe() throws Exception {
    String address = "member-" + Touches.unique() + "@example.com";
    Api.Reply created = server.api().post("/api/v1/contacts", new JsonObject().put("email", address).put("name", "韩梅梅")
        .put("consent", new JsonObject().put("email", true)));
    assertEquals(201, created.status(), created.toString());
    long contact = created.json().getLong("id");
    String key = "mail-" + Touches.unique();
    long id = Touches.enqueue(server.siyu(), new TouchRequest(key, contact, "birthday", null, "send", "email", "birthday", "{}")).get(0);
    assertEquals("sent", Touches.settle(server.api(), id).getString("status"));

    MimeMessage mail = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
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

    HttpClient http = HttpClient.newHttpClient();
    URI local = URI.create("http://127.0.0.1:" + server.siyu().httpPort() + URI.create(unsubscribe).getPath());
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(local).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("consent").getBoolean("email"),
        "opening the link alone unsubscribes nobody");
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(local).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, done.statusCode());
    assertFalse(server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("consent").getBoolean("email"));

    long next = Touches.enqueue(server.siyu(), new TouchRequest(key + "-2", contact, "birthday", null, "send", "email",
        "birthday", "{}")).get(0);
    assertEquals("suppressed", Touches.settle(server.api(), next).getString("status"));
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.siyu().httpPort()
        + "/webhooks/unsubscribe/nope")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
  }
}
