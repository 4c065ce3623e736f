package io.siyu.channel;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** What the provider clients (WeCom, the SMS gateway, SMTP) have in common. */
public final class Providers {
  /** The dispatcher bounds sends in flight ({@code SIYU_OUTBOX_CONCURRENCY}, 32 by default); so does each client. */
  private static final int MAX_CONNECTIONS = 32;

  private Providers() {}

  /**
   * An HTTP client that gives up connecting after {@code timeoutMs} (each request sets its own answer
   * timeout) and does not follow redirects: a provider that redirects an API call is misconfigured.
   */
  public static WebClient webClient(Vertx vertx, String userAgent, int timeoutMs) {
    return WebClient.create(vertx, new WebClientOptions().setConnectTimeout(timeoutMs).setFollowRedirects(false)
        .setUserAgent(userAgent), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
  }

  /** A transport error (refused, reset, timed out) in a touch's answer: its kind and message. */
  public static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
