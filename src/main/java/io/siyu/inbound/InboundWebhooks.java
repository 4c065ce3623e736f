package io.siyu.inbound;

import io.siyu.app.Config;
import io.siyu.event.EventService;
import io.siyu.web.Problem;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * Calls into Siyu from outside that carry member events: the brand's own systems
 * ({@code /webhooks/events}, signed like Siyu's webhook channel) and a WeChat Official Account
 * ({@code /webhooks/wechat-oa}). Both feed the event pipeline, so they validate, deduplicate and
 * wake journeys exactly as {@code POST /api/v1/events} does.
 */
public final class InboundWebhooks {
  private InboundWebhooks() {}

  /**
   * Mounts both under {@code /webhooks}, each whether or not it is configured: one that is not
   * answers so, rather than a 404 that looks like a wrong URL.
   *
   * @throws IllegalArgumentException when a setting is invalid, naming the variable
   */
  public static void mount(Router webhooks, Config config, EventService events, Pool pool) {
    InboundSettings settings = InboundSettings.fromEnv(config.env());
    EventWebhookRoutes.mount(webhooks, settings, events, config.bodyLimitBytes());
    WechatOaRoutes.mount(webhooks, settings, new WechatOaSubscriptions(pool, events));
  }

  /** 503: the webhook exists but this deployment has not set it up. */
  static Problem notConfigured(String variable, String what) {
    return new Problem(503, "not-configured", "Not configured",
        variable + " is not set: this Siyu does not accept " + what, null);
  }
}
