package io.siyu.app;

import io.siyu.attribute.AttributeRoutes;
import io.siyu.auth.AuthHandler;
import io.siyu.auth.TokenRoutes;
import io.siyu.contact.ContactRoutes;
import io.siyu.event.EventRoutes;
import io.siyu.imports.ImportRoutes;
import io.siyu.journey.JourneyRoutes;
import io.siyu.loyalty.growth.GrowthRoutes;
import io.siyu.loyalty.points.PointsRoutes;
import io.siyu.loyalty.referral.ReferralRoutes;
import io.siyu.loyalty.rights.RightRoutes;
import io.siyu.outbox.ReceiptRoutes;
import io.siyu.outbox.TouchRoutes;
import io.siyu.outbox.UnsubscribeRoutes;
import io.siyu.schedule.ScheduleRoutes;
import io.siyu.segment.SegmentRoutes;
import io.siyu.tag.TagRoutes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.ZoneId;

/** The map of the API: every feature's routes under {@code /api/v1}, behind the token or session check. */
final class Features {
  private Features() {}

  static void mount(Router api, Services s) {
    BodyHandler json = BodyHandler.create(false).setBodyLimit(s.config().bodyLimitBytes());
    // The body is read before the (asynchronous) token check, so no chunk can arrive while nobody
    // listens. Import uploads are the exception: they stay paused through the check and are then
    // streamed to disk by their own handler.
    api.route("/v1/*").handler(ctx -> {
      if (isImportUpload(ctx)) {
        ctx.request().pause();
        ctx.next();
      } else {
        json.handle(ctx);
      }
    });
    // signing in is the one thing under /v1 done without credentials
    io.siyu.user.SessionRoutes.mountSignIn(api, s.people());
    api.route("/v1/*").handler(new AuthHandler(s.tokens(), s.people().sessionCheck()));
    Router v1 = Router.router(s.vertx());
    ProblemHandler.install(v1);
    ImportRoutes.mount(v1, s.imports());
    TokenRoutes.mount(v1, s.tokens());
    io.siyu.user.SessionRoutes.mount(v1, s.people());
    io.siyu.user.UserRoutes.mount(v1, s.people());
    AttributeRoutes.mount(v1, s.attributes());
    ContactRoutes.mount(v1, s.contacts(), s.tags()::ofContact);
    TagRoutes.mount(v1, s.tags(), s.contacts());
    SegmentRoutes.mount(v1, s.segments());
    EventRoutes.mount(v1, s.events(), s.contacts());
    PointsRoutes.mount(v1, s.points(), s.pointsExpiry());
    io.siyu.loyalty.lifecycle.RecomputeRoutes.mount(v1, s.recompute());
    RightRoutes.mount(v1, s.rights());
    GrowthRoutes.mount(v1, s.growth());
    ReferralRoutes.mount(v1, s.referrals());
    ScheduleRoutes.mount(v1, s.vertx(), s.pool(), s::schedules);
    TouchRoutes.mount(v1, s.touches());
    io.siyu.template.TemplateRoutes.mount(v1, s.templates(), s.testSends());
    JourneyRoutes.mount(v1, s.vertx(), s.pool(), s::journeys, s.segments(), ZoneId.of(s.config().defaultTimezone()));
    io.siyu.journey.DesignerChoices.mount(v1, s.pool(), s.channels().configured());
    io.siyu.wecom.chat.GroupChatRoutes.mount(v1, s.groupChats());
    io.siyu.wecom.channelcode.ChannelCodeRoutes.mount(v1, s.channelCodes(), s.channelCodeStatistics());
    io.siyu.wecom.contact.WecomContactRoutes.mount(v1, s.pool());
    io.siyu.wecom.callback.CallbackAdminRoutes.mount(v1, s.wecomCallbacks());
    api.route("/v1/*").subRouter(v1);
  }

  /** Under {@code /webhooks}: calls from providers, authenticated by each provider's own scheme. */
  static void mountWebhooks(Router webhooks, Services s) {
    ReceiptRoutes.mount(webhooks, s.channels(), s.receipts());
    UnsubscribeRoutes.mount(webhooks, s.unsubscribes());
    io.siyu.event.webhook.EventWebhookRoutes.mount(webhooks,
        io.siyu.event.webhook.EventWebhookSettings.fromEnv(s.config().env()), s.events(), s.config().bodyLimitBytes());
    io.siyu.wechatoa.WechatOaRoutes.mount(webhooks, io.siyu.wechatoa.WechatOaSettings.fromEnv(s.config().env()),
        new io.siyu.wechatoa.WechatOaSubscriptions(s.pool(), s.events()));
    io.siyu.wecom.callback.CallbackRoutes.mount(webhooks, s.wecomCallbacks());
  }

  /** Under {@code /l}: tracked links in touches, opened by members. */
  static void mountLinks(Router links, Services s) {
    links.get("/:code").handler(ctx -> s.links().open(ctx.pathParam("code")).onSuccess(url -> {
      if (url == null) {
        ctx.fail(io.siyu.problem.Problem.notFound("Link " + ctx.pathParam("code")));
      } else {
        ctx.response().setStatusCode(302).putHeader("Location", io.siyu.web.Locations.uri(url))
            .putHeader("Cache-Control", "no-store").end();
      }
    }).onFailure(ctx::fail));
  }

  private static boolean isImportUpload(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.POST && ctx.normalizedPath().endsWith("/v1/imports");
  }
}
