package io.siyu.outbox;

import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /webhooks/receipts/{channel}}: providers report delivered / read / failed. No API
 * token: each channel checks that its provider made the call (signature, timestamp). The
 * receipts are applied before the answer, so a provider that gets a 200 can forget them; a
 * provider that retries gets the same result (receipts are idempotent).
 */
public final class ReceiptRoutes {
  private static final long MAX_BODY = 1024 * 1024;

  private ReceiptRoutes() {}

  public static void mount(Router webhooks, Channels channels, Receipts receipts) {
    webhooks.post("/receipts/:channel").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(ctx -> {
      Channel channel = channels.get(ctx.pathParam("channel"));
      if (channel == null) {
        throw Problem.notFound("Channel " + ctx.pathParam("channel"));
      }
      // no body at all is an empty one: the channel's signature check refuses it like any other
      Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
      receipts.apply(channel.name(), channel.callback(ctx.request().headers(), body))
          .onSuccess(result -> Bodies.ok(ctx, result)).onFailure(ctx::fail);
    });
  }
}
