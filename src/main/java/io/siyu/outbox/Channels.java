package io.siyu.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The channels of one running Siyu, by name: every {@link Channel} on the class path, started.
 * Each send is timed by channel and outcome ({@code siyu_touch_sends_seconds} in {@code /metrics}):
 * how long each provider takes to answer, and how often it refuses. These timers stand in for
 * Vert.x's generic HTTP client metrics, which are off (see Siyu): they said the same per remote
 * address, not per channel, at several times the cost per request.
 */
public final class Channels {
  private final Map<String, Channel> byName;
  private final java.util.Set<String> configured;
  /** By channel name, then by outcome (its ordinal). */
  private final Map<String, Timer[]> sendTimers;

  private Channels(Map<String, Channel> byName, MeterRegistry metrics) {
    this.byName = byName;
    this.configured = byName.values().stream().filter(Channel::configured).map(Channel::name)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    Map<String, Timer[]> timers = new TreeMap<>();
    byName.keySet().forEach(name -> timers.put(name, java.util.Arrays.stream(Delivery.Outcome.values())
        .map(outcome -> Timer.builder("siyu.touch.sends")
            .description("Sends of touches to a channel's provider, until its answer")
            .tags("channel", name, "outcome", outcome.name().toLowerCase())
            .register(metrics))
        .toArray(Timer[]::new)));
    this.sendTimers = Collections.unmodifiableMap(timers);
  }

  /**
   * Every channel on the class path, and {@code made}: channels the application builds itself
   * because they share a client with other features (WeCom's, with its callbacks and customers).
   */
  public static Channels load(ChannelContext context, MeterRegistry metrics, java.util.List<Channel> made) {
    Map<String, Channel> byName = new TreeMap<>();
    java.util.List<Channel> all = new java.util.ArrayList<>(made);
    ServiceLoader.load(Channel.class, Channel.class.getClassLoader()).forEach(all::add);
    for (Channel c : all) {
      Channel before = byName.putIfAbsent(c.name(), c);
      if (before != null) {
        throw new IllegalStateException("Two channels are named " + c.name() + ": "
            + before.getClass().getName() + " and " + c.getClass().getName());
      }
    }
    byName.values().forEach(c -> c.start(context));
    return new Channels(Collections.unmodifiableMap(byName), metrics);
  }

  /**
   * Sends with the touch's channel; an unknown channel, or a message the channel cannot build, is a
   * permanent failure, any other failed send a transient one.
   */
  Future<Delivery> send(Touch touch) {
    Channel channel = byName.get(touch.channel());
    if (channel == null) {
      return Future.succeededFuture(Delivery.failed("unknown channel: " + touch.channel()));
    }
    Timer[] timers = sendTimers.get(channel.name());
    long started = System.nanoTime();
    return Future.<Void>succeededFuture()
        .compose(v -> channel.send(touch)) // a channel that throws is caught here, as a failed future
        .map(d -> d != null ? d : Delivery.retry("channel " + channel.name() + " answered nothing"))
        // a message the channel refuses to build (no address, bad data) will not build next time either
        .recover(err -> Future.succeededFuture(err instanceof IllegalArgumentException
            ? Delivery.failed("channel " + channel.name() + ": " + err.getMessage())
            : Delivery.retry("channel " + channel.name() + " failed: " + err)))
        .onSuccess(d -> timers[d.outcome().ordinal()].record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
  }

  /** Whether touches on the channel are rendered first (false for unknown channels). */
  boolean needsContent(String name) {
    Channel c = byName.get(name);
    return c != null && c.needsContent();
  }

  /** The channel of that name, or null. */
  public Channel get(String name) {
    return byName.get(name);
  }

  /** The channel's rate limit (sends started per second, 0 for none); 0 for a channel not loaded. */
  int ratePerSecond(String name) {
    Channel c = byName.get(name);
    return c == null ? 0 : c.ratePerSecond();
  }

  public java.util.Set<String> names() {
    return byName.keySet();
  }

  /** The channels whose settings are complete, by name. */
  public java.util.Set<String> configured() {
    return configured;
  }

  Future<Void> close() {
    return Future.join(byName.values().stream().map(Channel::close).toList()).<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }
}
