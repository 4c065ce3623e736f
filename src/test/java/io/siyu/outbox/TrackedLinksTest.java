package io.siyu.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tracked links over real HTTP: a short link redirects to the URL it was made for and records a
 * touch.clicked event for the touch's contact, which starts a journey listening for it; unknown
 * codes are 404s, never redirects.
 */
class TrackedLinksTest {
  private static final Api api = TestSiyu.admin();
  private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private static HttpResponse<String> open(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestSiyu.get().httpPort() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aShortLinkRedirectsAndRecordsTheClick() throws Exception {
    Siyu siyu = TestSiyu.get();
    String key = "link-" + Touches.unique();
    long contact = Touches.contact(api);
    long id = Touches.enqueue(siyu, Touches.touch(key, contact, "log")).get(0);
    Touch touch = new Touch(id, key, contact, "welcome", null, "send_welcome", "log", "welcome", new JsonObject(), 1,
        "marketing", null, null, 0);
    TrackedLinks links = siyu.services().links();

    String target = "https://shop.example.com/offer?id=42&utm=siyu";
    String shortUrl = links.link(touch, target);
    assertTrue(shortUrl.startsWith("http://localhost:8080/l/"), shortUrl);
    assertEquals(shortUrl, links.link(touch, target), "the same link of the same touch: the same code");
    assertNotEquals(shortUrl, links.link(touch, target + "&b"));
    assertEquals("mailto:help@example.com", links.link(touch, "mailto:help@example.com"));
    assertEquals(404, open(URI.create(shortUrl).getPath()).statusCode(), "not opened before it is saved");
    io.siyu.async.Blocking.await(links.save(touch, List.of(target, target, "mailto:help@example.com")));
    io.siyu.async.Blocking.await(links.save(touch, List.of(target)));

    String path = URI.create(shortUrl).getPath();
    HttpResponse<String> first = open(path);
    assertEquals(302, first.statusCode());
    assertEquals(target, first.headers().firstValue("Location").orElse(null));
    assertEquals(302, open(path).statusCode());

    JsonObject events = api.get("/api/v1/contacts/" + contact + "/events").json();
    JsonObject clicked = events.getJsonArray("items").stream().map(e -> (JsonObject) e)
        .filter(e -> "touch.clicked".equals(e.getString("type"))).findFirst().orElseThrow(() -> new AssertionError(events.encode()));
    assertEquals(target, clicked.getJsonObject("properties").getString("url"));
    assertEquals(key, clicked.getJsonObject("properties").getString("touch_key"));

    HttpResponse<String> unknown = open("/l/AAAAAAAAAAAA");
    assertEquals(404, unknown.statusCode());
    assertEquals("application/problem+json", unknown.headers().firstValue("Content-Type").orElse(null));
    assertEquals(404, open("/l/..%2F..%2Fetc").statusCode());
  }
}
