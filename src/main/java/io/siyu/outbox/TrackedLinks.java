package io.siyu.outbox;

import io.siyu.event.EventService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Click tracking. When a touch is rendered, each http(s) link becomes {@code <public url>/l/<code>};
 * the code is derived from the touch and the URL, so rendering a touch again (a retried send)
 * gives the same codes. Opening the short link records a {@code touch.clicked} event for the
 * touch's contact (journeys can wait for it) and redirects to the original URL. Only URLs
 * written here can be targets: an unknown code is a 404, never a redirect somewhere else.
 */
public final class TrackedLinks {
  private static final Logger log = LoggerFactory.getLogger(TrackedLinks.class);
  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int CODE_LENGTH = 12;

  private static final String SAVE = "INSERT INTO touch_links (code, touch_id, url) "
      + "SELECT code, $2, url FROM unnest($1::text[], $3::text[]) AS l (code, url) ON CONFLICT (code) DO NOTHING";

  private static final String OPEN = "UPDATE touch_links l SET clicks = clicks + 1 FROM touches t "
      + "WHERE l.code = $1 AND t.id = l.touch_id "
      + "RETURNING l.url, t.touch_key, t.contact_id, t.journey_key, t.activity_id, t.channel, l.clicks";

  private final Pool pool;
  private final EventService events;
  private final String publicUrl;

  public TrackedLinks(Pool pool, EventService events, String publicUrl) {
    this.pool = pool;
    this.events = events;
    this.publicUrl = publicUrl;
  }

  /** The short link for {@code url} in this touch (not saved yet: see {@link #save}); other schemes are left alone. */
  public String link(Touch touch, String url) {
    return tracked(url) ? publicUrl + "/l/" + code(touch.touchKey(), url) : url;
  }

  /** Saves the short links of these URLs of the touch, so they can be opened; saving one twice is harmless. */
  public Future<Void> save(Touch touch, List<String> urls) {
    List<String> tracked = urls.stream().filter(TrackedLinks::tracked).distinct().toList();
    if (tracked.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] codes = tracked.stream().map(u -> code(touch.touchKey(), u)).toArray(String[]::new);
    return pool.preparedQuery(SAVE).execute(Tuple.tuple().addValue(codes).addValue(touch.id())
        .addValue(tracked.toArray(String[]::new))).mapEmpty();
  }

  private static boolean tracked(String url) {
    return url.startsWith("http://") || url.startsWith("https://");
  }

  /**
   * The original URL of the code, after the click is counted and recorded as an event; null for
   * an unknown code. The event's key holds the second, so a double click is one event.
   */
  public Future<String> open(String code) {
    if (code.length() != CODE_LENGTH || !code.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128)) {
      return Future.succeededFuture(null);
    }
    return pool.preparedQuery(OPEN).execute(Tuple.of(code)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      JsonObject event = new JsonObject()
          .put("id", "click:" + code + ":" + Instant.now().getEpochSecond())
          .put("type", "touch.clicked")
          .put("contact_id", r.getLong("contact_id"))
          .put("source", "siyu")
          .put("properties", new JsonObject().put("url", r.getString("url")).put("touch_key", r.getString("touch_key"))
              .put("journey", r.getString("journey_key")).put("step", r.getString("activity_id"))
              .put("channel", r.getString("channel")));
      // the member is sent on even when the event cannot be stored now; the count above is kept
      return events.ingest(List.of(event), false).map(stored -> r.getString("url"))
          .recover(err -> {
            log.warn("Click on {} counted but not recorded as an event: {}", code, err.toString());
            return Future.succeededFuture(r.getString("url"));
          });
    });
  }

  /** Base62 of SHA-256(touch key, NUL, url): the same for the same touch and link, every time. */
  public static String code(String touchKey, String url) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(touchKey.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(url.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < CODE_LENGTH; i++) {
        out.append(BASE62[(digest[i] & 0xff) % 62]);
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
