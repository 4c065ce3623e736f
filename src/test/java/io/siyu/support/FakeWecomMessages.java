package io.siyu.support;

import static io.siyu.support.FakeWecom.error;
import static io.siyu.support.FakeWecom.ok;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The sends of the loopback WeCom: a mass-send task to customers ({@code add_msg_template}), the
 * welcome message with an add's welcome code, good once ({@code send_welcome_msg}), and an app
 * message to staff ({@code message/send}), each checked for the fields WeCom requires.
 */
public final class FakeWecomMessages {
  public static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
  public static final String SEND_WELCOME_MSG = "/cgi-bin/externalcontact/send_welcome_msg";
  public static final String MESSAGE_SEND = "/cgi-bin/message/send";

  private final Map<String, Boolean> welcomeCodes = new ConcurrentHashMap<>();
  private final Set<String> unreachableCustomers = ConcurrentHashMap.newKeySet();
  private final Set<String> unknownStaff = ConcurrentHashMap.newKeySet();
  private final AtomicInteger serial = new AtomicInteger();

  FakeWecomMessages(BiConsumer<String, FakeWecom.Answer> routes) {
    routes.accept(ADD_MSG_TEMPLATE, (query, body) -> addMsgTemplate(body));
    routes.accept(SEND_WELCOME_MSG, (query, body) -> sendWelcomeMsg(body));
    routes.accept(MESSAGE_SEND, (query, body) -> messageSend(body));
  }

  /** A welcome code as the add-customer event carries it, good for one send. */
  public String issueWelcomeCode() {
    String code = "WELCOME-" + serial.incrementAndGet();
    welcomeCodes.put(code, false);
    return code;
  }

  /** A customer a mass send cannot reach: WeCom lists it in {@code fail_list}. */
  public void unreachableCustomer(String externalUserId) {
    unreachableCustomers.add(externalUserId);
  }

  /** A staff userid WeCom does not know: {@code invaliduser}, or 81013 when no recipient is left. */
  public void unknownStaff(String userId) {
    unknownStaff.add(userId.toLowerCase(Locale.ROOT));
  }

  private JsonObject addMsgTemplate(JsonObject body) {
    JsonArray recipients = body.getJsonArray("external_userid", new JsonArray());
    if (!"single".equals(body.getString("chat_type", "single")) || recipients.isEmpty()
        || body.getString("sender") == null || !hasContent(body)) {
      return error(40058, "invalid parameter");
    }
    JsonArray failList = new JsonArray(recipients.stream().filter(unreachableCustomers::contains).toList());
    return ok().put("fail_list", failList).put("msgid", "msg-" + serial.incrementAndGet());
  }

  private JsonObject sendWelcomeMsg(JsonObject body) {
    String code = body.getString("welcome_code");
    if (code == null || !welcomeCodes.containsKey(code) || !hasContent(body)) {
      return error(40058, "invalid parameter: welcome_code");
    }
    if (welcomeCodes.put(code, true)) {
      return error(41051, "externaluser has started chatting");
    }
    return ok();
  }

  private JsonObject messageSend(JsonObject body) {
    if (!Integer.valueOf(FakeWecom.AGENT_ID).equals(body.getInteger("agentid"))) {
      return error(40056, "invalid agentid");
    }
    if (!"text".equals(body.getString("msgtype")) || body.getJsonObject("text") == null) {
      return error(40008, "invalid message type");
    }
    List<String> users = List.of(body.getString("touser", "").toLowerCase(Locale.ROOT).split("\\|"));
    List<String> invalid = users.stream().filter(unknownStaff::contains).toList();
    if (invalid.size() == users.size()) {
      return error(81013, "user & party & tag all invalid");
    }
    return ok().put("invaliduser", String.join("|", invalid)).put("msgid", "msg-" + serial.incrementAndGet());
  }

  private static boolean hasContent(JsonObject body) {
    JsonObject text = body.getJsonObject("text");
    return text != null && text.getString("content") != null || !body.getJsonArray("attachments", new JsonArray()).isEmpty();
  }
}
