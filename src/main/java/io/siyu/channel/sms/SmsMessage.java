package io.siyu.channel.sms;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * One text through the gateway: a template the gateway (and the carrier) approved, filled with
 * {@code params}.
 *
 * @param signName the SMS signature (短信签名); null for {@code SIYU_SMS_SIGN_NAME}
 */
public record SmsMessage(String mobile, String templateId, Map<String, String> params, String signName) {
  public SmsMessage {
    if (mobile == null || mobile.isBlank()) {
      throw new IllegalArgumentException("an SMS needs a mobile number");
    }
    if (templateId == null || templateId.isBlank()) {
      throw new IllegalArgumentException("an SMS needs the gateway's template id");
    }
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public SmsMessage(String mobile, String templateId, Map<String, String> params) {
    this(mobile, templateId, params, null);
  }

  /** The gateway's request body; {@code request_id} lets it drop a retried duplicate. */
  JsonObject request(String requestId, String defaultSignName) {
    JsonObject body = new JsonObject().put("request_id", requestId).put("mobile", mobile)
        .put("template_id", templateId).put("params", new JsonObject(new TreeMap<String, Object>(params)));
    String sign = signName != null ? signName : defaultSignName;
    return sign == null ? body : body.put("sign_name", sign);
  }
}
