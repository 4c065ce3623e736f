package io.siyu.user;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address a sign-in is counted under. The connection's peer, unless that peer is on this host
 * or a private network — a reverse proxy in front of Siyu — and says whom it forwards: then the
 * last entry of {@code X-Forwarded-For}, the one that proxy added itself (earlier entries are
 * whatever the client sent). A client on the private network itself could name any address there;
 * the count per email holds regardless.
 */
final class ClientAddress {
  private static final int MAX = 64;

  private ClientAddress() {}

  static String of(RoutingContext ctx) {
    SocketAddress peer = ctx.request().remoteAddress();
    String direct = peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null || !proxyLike(direct)) {
      return direct;
    }
    String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
    return last.isEmpty() ? direct : last.substring(0, Math.min(MAX, last.length()));
  }

  private static boolean proxyLike(String ip) {
    try {
      InetAddress a = InetAddress.getByName(ip); // an address literal: no lookup is made
      return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
