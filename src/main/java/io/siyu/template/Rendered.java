package io.siyu.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A template rendered for one channel, ready to send.
 *
 * @param key the template
 * @param version the template version it was rendered from (record it with the touch)
 * @param kind {@code marketing} or {@code transactional}, as the template says
 * @param channel the variant's channel: the requested one, or {@code default}
 * @param locale the variant's locale, after fallback
 * @param subject the subject, for channels that take one (email); else null
 * @param html sanitised HTML, for channels that take HTML (email, webhook); else null
 * @param text the plain text: what SMS and WeCom send, and email's text alternative
 * @param links the URLs the message links to, as the template wrote them (before rewriting), in order
 */
public record Rendered(String key, int version, String kind, String channel, String locale, String subject,
    String html, String text, List<String> links) {

  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("version", version).put("kind", kind).put("channel", channel)
        .put("locale", locale).put("subject", subject).put("html", html).put("text", text)
        .put("links", new JsonArray(links));
  }
}
