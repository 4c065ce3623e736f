package io.siyu.wecom.api;

import io.siyu.channel.Providers;
import io.siyu.outbox.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a WeCom {@code errcode} means for a touch (global error codes, developer.work.weixin.qq.com
 * document 90313/90455). Transient codes are {@link Delivery#retry} with a hint that ends in
 * {@code "retry after N s"}; every other non-zero code is {@link Delivery#failed}: retrying the same
 * request cannot change WeCom's mind.
 */
final class WecomAnswers {
  /**
   * The access token was refused: 40014 invalid, 42001 expired. Not 40001: in WeCom that is a wrong
   * secret, which a new token cannot fix; nor 40082, which is about third-party suite tokens.
   */
  static final Set<Integer> TOKEN_REFUSED = Set.of(40014, 42001);

  private static final Map<Integer, String> TRANSIENT = Map.of(
      -1, "WeCom busy; retry after 5 s",
      45009, "rate limited, WeCom counts calls per minute; retry after 60 s",
      45033, "too many concurrent calls; retry after 1 s",
      41096, "another app is sending this welcome message and may still fail; retry after 1 s");

  private static final Map<Integer, String> EXPLAINED = Map.of(
      40001, "invalid secret: check SIYU_WECOM_SECRET / SIYU_WECOM_AGENT_SECRET",
      40013, "invalid corp id: check SIYU_WECOM_CORP_ID",
      41051, "a welcome message already reached this customer, from an earlier try of this touch whose answer"
          + " was lost or from another app: the welcome code is spent",
      48002, "this secret may not call this API: externalcontact needs the customer-contact secret");

  private WecomAnswers() {}

  /** WeCom's own rule: a call failed when errcode is present and not 0. */
  static int errcode(JsonObject answer) {
    return answer.getValue("errcode") instanceof Number n ? n.intValue() : 0;
  }

  static boolean tokenRefused(JsonObject answer) {
    return TOKEN_REFUSED.contains(errcode(answer));
  }

  static Delivery error(String api, JsonObject answer) {
    return error(api, errcode(answer), answer.getString("errmsg", ""));
  }

  static Delivery error(String api, int errcode, String errmsg) {
    String answer = api + " errcode " + errcode + ": " + errmsg;
    if (TRANSIENT.containsKey(errcode)) {
      return Delivery.retry(answer + " (" + TRANSIENT.get(errcode) + ")");
    }
    if (TOKEN_REFUSED.contains(errcode)) {
      // only reached when a token fetched for this very call was refused as well: a WeCom-side
      // hiccup, not the touch's fault; one retry per send keeps this from looping
      return Delivery.retry(answer + " (a freshly fetched access token was refused too; retry after 5 s)");
    }
    String why = EXPLAINED.get(errcode);
    return Delivery.failed(why == null ? answer : answer + " (" + why + ")");
  }

  /**
   * {@code add_msg_template} took the task; recipients in {@code fail_list} cannot get it (not
   * customers of the sender, or over their monthly limit): FAILED when that is all of them.
   */
  static Delivery sentToCustomers(JsonObject answer, List<String> recipients) {
    JsonArray failList = answer.getJsonArray("fail_list", new JsonArray());
    List<String> unreachable = failList.stream().map(String::valueOf).toList();
    String sent = "add_msg_template msgid " + answer.getString("msgid");
    if (!unreachable.isEmpty() && unreachable.containsAll(recipients)) {
      return Delivery.failed(sent + ": fail_list " + unreachable
          + " (not customers of the sender, or over their monthly limit)");
    }
    return Delivery.sent(sent + (unreachable.isEmpty() ? "" : ", fail_list " + unreachable));
  }

  /**
   * {@code message/send} went out; userids in {@code invaliduser} (lowercased by WeCom) did not get it,
   * usually because they are outside the app's visible range: FAILED when that is all of them.
   */
  static Delivery sentToStaff(JsonObject answer, List<String> recipients) {
    Set<String> invalid = Arrays.stream(answer.getString("invaliduser", "").split("\\|"))
        .filter(u -> !u.isBlank()).collect(Collectors.toSet());
    String sent = "message/send msgid " + answer.getString("msgid");
    if (!invalid.isEmpty() && recipients.stream().allMatch(u -> invalid.contains(u.toLowerCase(Locale.ROOT)))) {
      return Delivery.failed(sent + ": invaliduser " + answer.getString("invaliduser")
          + " (not in the app's visible range, or unknown)");
    }
    return Delivery.sent(sent + (invalid.isEmpty() ? "" : ", invaliduser " + answer.getString("invaliduser")));
  }

  /** A call that got no usable answer: an errcode from {@code gettoken}, or no JSON at all (worth retrying). */
  static Delivery failure(String api, Throwable error) {
    if (error instanceof WecomError e) {
      return error(e.api(), e.errcode(), e.errmsg());
    }
    return Delivery.retry(api + ": " + Providers.describe(error));
  }
}
