package io.siyu.wecom.callback;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;

/**
 * {@code /webhooks/wecom}, the URL set as the callback of WeCom's customer contact (客户联系) and
 * apps. {@code GET} is WeCom's URL verification: the decrypted echostr proves we hold the keys.
 * {@code POST} is a callback: checked (signature, timestamp window, decryption, receive id, a
 * DTD-free message), stored, and only then answered {@code success} — it is handled later, so
 * the answer never waits for a handler and WeCom's 5-second limit is kept. Whatever fails a check
 * is answered with a problem and stores nothing.
 */
public final class CallbackRoutes {
  /**
   * Real callbacks are a few kilobytes; the decrypted message may hold at most
   * {@link WecomCallback#MAX_XML_CHARS}, which Base64 and the envelope keep under this.
   */
  static final long MAX_BODY_BYTES = 128 * 1024;

  private CallbackRoutes() {}

  public static void mount(Router webhooks, CallbackInbox inbox) {
    webhooks.get("/wecom").handler(ctx -> verifyUrl(ctx, inbox));
    webhooks.post("/wecom").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(ctx -> receive(ctx, inbox));
  }

  private static void verifyUrl(RoutingContext ctx, CallbackInbox inbox) {
    String echo = open(ctx, inbox, ctx.request().getParam("echostr"));
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(echo);
  }

  private static void receive(RoutingContext ctx, CallbackInbox inbox) {
    crypt(inbox); // not configured: a 404 before the body is looked at
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    JsonObject envelope;
    try {
      envelope = WecomCallback.elements(body);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("the body is not a WeCom callback: " + e.getMessage());
    }
    if (!(envelope.getValue("Encrypt") instanceof String encrypted) || encrypted.isEmpty()) {
      throw Problem.badRequest("the body has no Encrypt element");
    }
    String message = open(ctx, inbox, encrypted);
    WecomCallback parsed;
    try {
      parsed = WecomCallback.parse(message);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("the decrypted message is not a WeCom message: " + e.getMessage());
    }
    inbox.writer().store(message, parsed).onSuccess(v ->
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("success")).onFailure(ctx::fail);
  }

  /** The checked plaintext of {@code encrypted} from the request's msg_signature, timestamp and nonce. */
  private static String open(RoutingContext ctx, CallbackInbox inbox, String encrypted) {
    WecomCrypt crypt = crypt(inbox);
    try {
      return crypt.open(ctx.request().getParam("msg_signature"), ctx.request().getParam("timestamp"),
          ctx.request().getParam("nonce"), encrypted, inbox.clock().instant(), inbox.settings().window());
    } catch (WecomCrypt.Rejected e) {
      throw e.reason() == WecomCrypt.Rejected.Reason.UNAUTHENTICATED
          ? Problem.unauthorized(e.getMessage()) : Problem.badRequest(e.getMessage());
    }
  }

  private static WecomCrypt crypt(CallbackInbox inbox) {
    if (!inbox.settings().configured()) {
      throw new Problem(404, "not-configured", "Not configured", "WeCom callbacks are not configured: set "
          + "SIYU_WECOM_TOKEN, SIYU_WECOM_AES_KEY and SIYU_WECOM_CORP_ID", null);
    }
    return inbox.settings().crypt();
  }
}
