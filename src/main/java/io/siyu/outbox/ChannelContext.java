package io.siyu.outbox;

import io.vertx.core.Vertx;
import java.util.Map;

/**
 * What a channel reads when it starts: the Vert.x it sends on, the {@code SIYU_*} environment (each
 * channel reads its own block, e.g. {@code SIYU_SMS_*}, so adding a channel changes nothing here)
 * and the outbox's settings.
 */
public record ChannelContext(Vertx vertx, Map<String, String> env, OutboxSettings outbox) {}
