package io.siyu.channel;

import io.siyu.outbox.Channel;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Touch;
import io.vertx.core.Future;

/**
 * A channel that sends rendered touches through an outside provider's client: unconfigured (its
 * settings are unset) it fails every touch permanently, saying which variable to set.
 */
public abstract class ProviderChannel<C extends ProviderClient> implements Channel {
  private final String setting;
  protected C client;

  /** {@code setting}: the variable whose absence leaves the channel unconfigured. */
  protected ProviderChannel(String setting) {
    this.setting = setting;
  }

  /** Sends a touch that has its {@code content}, with a configured client. */
  protected abstract Future<Delivery> send(C client, Touch touch);

  @Override
  public final Future<Delivery> send(Touch touch) {
    return client == null ? Future.succeededFuture(Delivery.failed(name() + " channel not configured (" + setting + ")"))
        : send(client, touch);
  }

  @Override
  public boolean configured() {
    return client != null;
  }

  @Override
  public boolean needsContent() {
    return true;
  }

  @Override
  public int ratePerSecond() {
    return client == null ? 0 : client.ratePerSecond();
  }

  @Override
  public Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
