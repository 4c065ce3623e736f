package io.siyu.wecom.chat;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;

/** {@code /api/v1/group-chats}: WeCom customer group chats, their members and their size over time. Read-only. */
public final class GroupChatRoutes {
  private GroupChatRoutes() {}

  public static void mount(Router api, GroupChats chats) {
    api.get("/group-chats").handler(Access.READ).handler(ctx ->
        chats.list(GroupChatQuery.list(ctx.queryParams()), Page.of(ctx, GroupChats.SORTS))
            .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/group-chats/:chatId").handler(Access.READ).handler(ctx ->
        chats.get(GroupChats.chatId(ctx.pathParam("chatId")), GroupChatQuery.memberStatus(ctx.queryParams()), Page.of(ctx, GroupChats.MEMBER_SORTS))
            .onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
    api.get("/group-chats/:chatId/stats").handler(Access.READ).handler(ctx ->
        chats.stats(GroupChats.chatId(ctx.pathParam("chatId")), GroupChatQuery.stats(ctx.queryParams(), chats.defaultZone()))
            .onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
  }
}
