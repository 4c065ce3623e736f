package io.siyu.auth;

import io.vertx.ext.web.RoutingContext;

/** The token behind a request; {@link #actor()} is what history records say did a change. */
public record Principal(long tokenId, String name, Role role) {
  static final String KEY = "siyu.principal";

  public static Principal of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public String actor() {
    return "token:" + tokenId + ":" + name;
  }
}
