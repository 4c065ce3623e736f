package io.siyu.wecom.channelcode;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;

/**
 * {@code /api/v1/channel-codes}: create (WeCom makes the QR code), list ({@code ?status=}), read
 * with its numbers, its growth by day ({@code /statistics?from=&to=}), and retire.
 */
public final class ChannelCodeRoutes {
  private ChannelCodeRoutes() {}

  public static void mount(Router api, ChannelCodeService codes, ChannelCodeStatistics statistics) {
    api.post("/channel-codes").handler(Access.WRITE).handler(ctx ->
        codes.create(Bodies.object(ctx), Principal.of(ctx).actor())
            .onSuccess(c -> Bodies.created(ctx, c, "/api/v1/channel-codes", c.getLong("id"))).onFailure(ctx::fail));
    api.get("/channel-codes").handler(Access.READ).handler(ctx ->
        codes.list(ctx.queryParams().get("status"), Page.of(ctx, ChannelCodeService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/channel-codes/:id").handler(Access.READ).handler(ctx ->
        codes.get(Bodies.id(ctx, "id", "Channel code")).onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
    api.get("/channel-codes/:id/statistics").handler(Access.READ).handler(ctx ->
        statistics.byDay(Bodies.id(ctx, "id", "Channel code"), ctx.queryParams())
            .onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
    api.post("/channel-codes/:id/retire").handler(Access.WRITE).handler(ctx ->
        codes.retire(Bodies.id(ctx, "id", "Channel code")).onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
  }
}
