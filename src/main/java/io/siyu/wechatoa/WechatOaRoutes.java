package io.siyu.wechatoa;

import io.siyu.problem.Problem;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code /webhooks/wechat-oa}: the server URL of a WeChat Official Account in plain mode (明文模式).
 * {@code GET} is the platform's check of the URL: a signed call is answered with its
 * {@code echostr}. {@code POST} carries a message as XML: follows and unfollows are recorded
 * ({@link WechatOaSubscriptions}) and only then answered {@code success}; every other message
 * (text, menu clicks, scans by followers, locations…) is answered {@code success} and not kept.
 * Calls are checked against {@code SIYU_WECHAT_OA_TOKEN} on the query string alone: form fields in
 * a body never stand in for it.
 */
public final class WechatOaRoutes {
  /** Official Account messages are a few hundred bytes; the parser's own limit is the ceiling. */
  static final int MAX_BODY = WecomCallback.MAX_XML_CHARS;

  private WechatOaRoutes() {}

  public static void mount(Router webhooks, WechatOaSettings settings, WechatOaSubscriptions subscriptions) {
    webhooks.get("/wechat-oa").handler(ctx -> {
      verify(ctx, settings);
      String echostr = ctx.queryParams().get("echostr");
      if (echostr == null) {
        throw Problem.badRequest("echostr is required");
      }
      text(ctx, echostr);
    });
    webhooks.post("/wechat-oa").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(ctx -> {
      verify(ctx, settings);
      // at most 64 KiB, read by WecomXml without any DTD in well under a millisecond: fine on the event loop
      WechatOaMessage message = WechatOaMessage.parse(ctx.body().buffer() == null ? null
          : ctx.body().buffer().toString(StandardCharsets.UTF_8));
      if (!message.isSubscription()) {
        text(ctx, "success");
        return;
      }
      subscriptions.record(message).onSuccess(v -> text(ctx, "success")).onFailure(ctx::fail);
    });
  }

  private static void verify(RoutingContext ctx, WechatOaSettings settings) {
    if (settings.token() == null) {
      throw Problem.notConfigured("SIYU_WECHAT_OA_TOKEN", "WeChat Official Account callbacks");
    }
    WechatOaSignature.verify(settings.token(), ctx.queryParams(), Instant.now(),
        settings.maxAgeSeconds());
  }

  private static void text(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
