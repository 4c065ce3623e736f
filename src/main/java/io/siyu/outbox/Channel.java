package io.siyu.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * A way to deliver touches (log, webhook; later WeCom, SMS, email). Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in {@code META-INF/services/io.siyu.outbox.Channel}
 * and give it a public no-argument constructor. Each running Siyu loads its own instances and
 * calls {@link #start} once before the first send.
 *
 * <p>{@link #send} must not block (it runs on the event loop) and should always complete: a
 * transient problem is {@link Delivery#retry}, a touch that can never be delivered is
 * {@link Delivery#failed}. A failed future counts as transient.
 */
public interface Channel {
  /** The name touches give in their {@code channel} column. */
  String name();

  /** Reads this channel's settings from {@code context}. */
  default void start(ChannelContext context) {}

  Future<Delivery> send(Touch touch);

  /**
   * Whether a touch must be rendered from its template before it goes out on this channel (text
   * channels: WeCom, SMS, email). Webhook and log send the template key and data as they are.
   */
  default boolean needsContent() {
    return false;
  }

  /** Whether its settings are complete; the sending policy falls back only to configured channels. */
  default boolean configured() {
    return true;
  }

  /**
   * The provider's limit on sends started per second, for all of Siyu's instances together (the
   * dispatcher counts them in the database); 0 for none.
   */
  default int ratePerSecond() {
    return 0;
  }

  /**
   * Reads a provider's call to {@code POST /webhooks/receipts/<name>}: checks that the provider
   * made it (signature, timestamp) and answers the receipts and opt-outs it carries. A call that is
   * not the provider's is a {@code Problem} 401, a body that cannot be read a 400. Channels without
   * receipts keep the default (404).
   */
  default ProviderCallback callback(io.vertx.core.MultiMap headers, io.vertx.core.buffer.Buffer body) {
    throw io.siyu.problem.Problem.notFound("Receipts of channel " + name());
  }

  /** Releases what {@link #start} opened; called after the last send has completed. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * The HTTP client a channel sends with: it gives up connecting after {@code timeoutMs} (each
   * request sets its own answer timeout), does not follow redirects (a provider that redirects an
   * API call is misconfigured), and keeps at most {@code maxConnections} open. Its connections run
   * on the event loop of whoever sends first (the dispatcher's): on a loop of their own, each send
   * and each answer crossed between two threads, which cost more CPU than the second core gave back.
   */
  static WebClient httpClient(Vertx vertx, String userAgent, long timeoutMs, int maxConnections) {
    return WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE))
        .setFollowRedirects(false).setUserAgent(userAgent), new PoolOptions().setHttp1MaxSize(maxConnections));
  }
}
