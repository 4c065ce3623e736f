package io.siyu.outbox;

import io.siyu.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code /webhooks/unsubscribe/{code}}: GET shows a one-button page (mail scanners open links, so
 * a GET never unsubscribes anyone); POST unsubscribes, from that button or from a mail client's
 * one-click {@code List-Unsubscribe-Post} (RFC 8058).
 */
public final class UnsubscribeRoutes {
  private UnsubscribeRoutes() {}

  public static void mount(Router webhooks, Unsubscribes unsubscribes) {
    webhooks.get("/unsubscribe/:code").handler(ctx -> page(ctx, "<p>Stop receiving these messages? 不再接收此类消息？</p>"
        + "<form method=\"post\"><button type=\"submit\">Unsubscribe 退订</button></form>"));
    webhooks.post("/unsubscribe/:code").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(ctx ->
        unsubscribes.use(ctx.pathParam("code")).onSuccess(channel -> {
          if (channel == null) {
            ctx.fail(Problem.notFound("Unsubscribe link"));
          } else {
            page(ctx, "<p>You are unsubscribed. 您已退订。</p>");
          }
        }).onFailure(ctx::fail));
  }

  private static void page(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            + "<title>Unsubscribe</title></head><body>" + body + "</body></html>");
  }
}
