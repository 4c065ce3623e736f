package io.siyu.auth;

import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;

/**
 * A person's live session, found from the {@link SessionCookie} of a request: who it is, the token
 * its changes must carry ({@code X-CSRF-Token}) and when it ends unless used (idle) or at the latest.
 */
public record SignedIn(long sessionId, Principal principal, String csrfToken, OffsetDateTime expiresAt) {
  static final String KEY = "siyu.session";

  /** The session behind a request, or null when it came with an API token (or nothing). */
  public static SignedIn of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
