package io.siyu.wecom.callback;

import io.siyu.support.Api;
import io.siyu.support.Eventually;
import io.siyu.support.FakeWecom;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Posts callbacks to {@code /webhooks/wecom} as WeCom does — encrypted, signed, with a fresh
 * timestamp and nonce — and reads what the inbox made of them. For the inbox's tests and the
 * handlers' alike:
 *
 * <pre>
 * static final FakeWecom wecom = new FakeWecom();
 * &#64;RegisterExtension static final OwnServer server = new OwnServer(WecomCallbacks.env(wecom.env()));
 * WecomCallbacks callbacks = new WecomCallbacks(FakeWecom.CORP_ID);
 * callbacks.post(server.api(), WecomCallbacks.event("change_external_contact", "add_external_contact",
 *     Map.of("UserID", "zhangsan", "ExternalUserID", "wm-1")));
 * </pre>
 */
public final class WecomCallbacks {
  /** The callback token and EncodingAESKey of Tencent's sample code. */
  public static final String TOKEN = "QDG6eK";
  public static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

  private final WecomCrypt crypt;

  /** Callbacks addressed to {@code corpId} (the server's SIYU_WECOM_CORP_ID). */
  public WecomCallbacks(String corpId) {
    this.crypt = new WecomCrypt(TOKEN, AES_KEY, corpId);
  }

  public WecomCrypt crypt() {
    return crypt;
  }

  /** A WeCom channel's environment (say {@code FakeWecom.env()}) with callbacks configured on top. */
  public static Map<String, String> env(Map<String, String> wecomEnv) {
    Map<String, String> env = new HashMap<>(wecomEnv);
    env.put("SIYU_WECOM_TOKEN", TOKEN);
    env.put("SIYU_WECOM_AES_KEY", AES_KEY);
    return env;
  }

  /**
   * A callback event as WeCom sends it (its elements in the order of WeCom's documentation); each
   * call is a different message, so WeCom's retry of one is made by posting the same text again.
   */
  public static String event(String event, String changeType, Map<String, String> fields) {
    StringBuilder xml = new StringBuilder("<xml><ToUserName><![CDATA[siyu-test]]></ToUserName>")
        .append("<FromUserName><![CDATA[sys]]></FromUserName>")
        .append("<CreateTime>").append(System.currentTimeMillis() / 1000).append("</CreateTime>")
        .append("<MsgType><![CDATA[event]]></MsgType>")
        .append("<Event><![CDATA[").append(event).append("]]></Event>");
    if (changeType != null) {
      xml.append("<ChangeType><![CDATA[").append(changeType).append("]]></ChangeType>");
    }
    fields.forEach((name, value) -> xml.append('<').append(name).append("><![CDATA[").append(value).append("]]></")
        .append(name).append('>'));
    // WeCom's messages differ in their ids; this keeps two test messages with equal fields apart
    xml.append("<SiyuTestNonce>").append(UUID.randomUUID()).append("</SiyuTestNonce>");
    return xml.append("</xml>").toString();
  }

  /** A signed request: its query string (msg_signature, timestamp, nonce) and body. */
  public record Signed(String query, String body) {
    public String path() {
      return "/webhooks/wecom?" + query;
    }
  }

  /** {@code message} encrypted and signed now, with the envelope WeCom posts. */
  public Signed signed(String message) {
    return signed(message, System.currentTimeMillis() / 1000);
  }

  public Signed signed(String message, long timestamp) {
    return envelope(crypt.encrypt(message), timestamp);
  }

  /** The envelope around any {@code encrypted} text, signed with our token. */
  public Signed envelope(String encrypted, long timestamp) {
    String ts = Long.toString(timestamp);
    String nonce = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    String query = "msg_signature=" + crypt.signature(ts, nonce, encrypted) + "&timestamp=" + ts + "&nonce=" + nonce;
    String body = "<xml><ToUserName><![CDATA[siyu-test]]></ToUserName><Encrypt><![CDATA[" + encrypted
        + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
    return new Signed(query, body);
  }

  /** Posts {@code message} as WeCom would; a 200 answers {@code success}. */
  public Api.Reply post(Api api, String message) {
    return post(api, signed(message));
  }

  public static Api.Reply post(Api api, Signed request) {
    return api.send(HttpMethod.POST, request.path(), "text/xml", Buffer.buffer(request.body()));
  }

  /** WeCom's URL verification of the callback URL with {@code echo} encrypted as its echostr. */
  public Api.Reply verify(Api api, String echo) {
    String encrypted = crypt.encrypt(echo);
    String ts = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = "4242";
    return api.get("/webhooks/wecom?msg_signature=" + crypt.signature(ts, nonce, encrypted) + "&timestamp=" + ts
        + "&nonce=" + nonce + "&echostr=" + URLEncoder.encode(encrypted, StandardCharsets.UTF_8));
  }

  /** Every stored callback of {@code event} (through the admin API; {@code api} holds an admin token), oldest first. */
  public static List<JsonObject> stored(Api api, String event) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = api.get("/api/v1/wecom/callbacks?limit=500&sort=id&event=" + URLEncoder.encode(event, StandardCharsets.UTF_8)
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      JsonArray items = page.getJsonArray("items");
      items.forEach(i -> out.add((JsonObject) i));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return out;
  }

  /** Waits (up to 30 s) until the one stored callback of {@code event} has {@code status}; answers it. */
  public static JsonObject await(Api api, String event, String status) {
    List<JsonObject> found = List.of();
    for (int i = 0; i < 600; i++) {
      found = stored(api, event);
      if (found.size() == 1 && status.equals(found.get(0).getString("status"))) {
        return found.get(0);
      }
      if (found.size() > 1) {
        throw new AssertionError("more than one callback of " + event + ": " + found);
      }
      Eventually.sleep(50);
    }
    throw new AssertionError("the callback of " + event + " did not become " + status + ": " + found);
  }
}
