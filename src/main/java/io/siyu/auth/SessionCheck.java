package io.siyu.auth;

import io.vertx.core.Future;

/**
 * Finds the live session a cookie names; implemented by the people feature above (the sessions live
 * there, with the users they belong to). Asked on every request that carries the cookie, so a session
 * ended anywhere (sign-out, a disabled user, another instance) is refused at once.
 */
public interface SessionCheck {
  /** The session, or a succeeded null when the cookie names none that is live. */
  Future<SignedIn> check(String cookieValue);
}
