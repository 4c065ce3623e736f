package io.siyu.outbox;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.app.Siyu;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tracked links over real HTTP: a short link redirects to the URL it was made for and records a
 * touch.clicked event for the touch's contact, which starts a journey listening for it; unknown
 * codes are 404s, never redirects.
 */
class TrackedLinksTest {
  private static final Api api = TestSiyu.admin();
  /** A member's browser: no token. */
  private static final Api browser = TestSiyu.as(null);

  private static Reply open(String path) {
    return browser.get(path);
  }

  @Test
  void aShortLinkRedirectsAndRecordsTheClick() throws Exception {
    Siyu siyu = TestSiyu.get();
    String key = "link-" + unique();
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
    assertEquals(404, open(URI.create(shortUrl).getPath()).status(), "not opened before it is saved");
    io.siyu.async.Blocking.await(links.save(touch, List.of(target, target, "mailto:help@example.com")));
    io.siyu.async.Blocking.await(links.save(touch, List.of(target)));

    String path = URI.create(shortUrl).getPath();
    Reply first = open(path);
    assertEquals(302, first.status());
    assertEquals(target, first.headers().get("Location"));
    assertEquals(302, open(path).status());

    JsonObject events = api.get("/api/v1/contacts/" + contact + "/events").json();
    JsonObject clicked = events.getJsonArray("items").stream().map(e -> (JsonObject) e)
        .filter(e -> "touch.clicked".equals(e.getString("type"))).findFirst().orElseThrow(() -> new AssertionError(events.encode()));
    assertEquals(target, clicked.getJsonObject("properties").getString("url"));
    assertEquals(key, clicked.getJsonObject("properties").getString("touch_key"));

    Reply unknown = open("/l/AAAAAAAAAAAA");
    assertEquals(404, unknown.status());
    assertEquals("application/problem+json", unknown.contentType());
    assertEquals(404, open("/l/..%2F..%2Fetc").status());
  }
}
