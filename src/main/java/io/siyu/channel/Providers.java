package io.siyu.channel;

import io.siyu.outbox.Channel;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** What the provider clients (WeCom, the SMS gateway, SMTP) have in common. */
public final class Providers {
  /** The dispatcher bounds sends in flight ({@code SIYU_OUTBOX_CONCURRENCY}, 32 by default); so does each client. */
  private static final int MAX_CONNECTIONS = 32;

  private Providers() {}

  /** A provider's HTTP client (see {@link Channel#httpClient}). */
  public static WebClient webClient(Vertx vertx, String userAgent, int timeoutMs) {
    return Channel.httpClient(vertx, userAgent, timeoutMs, MAX_CONNECTIONS);
  }

  /** A transport error (refused, reset, timed out) in a touch's answer: its kind and message. */
  public static String describe(Throwable error) {
    return error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
