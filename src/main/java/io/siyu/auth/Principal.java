package io.siyu.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is behind a request: an API token (a machine) or a signed-in person. Both carry a role, so
 * {@link Access} treats them alike; {@link #actor()} is what history records say did a change.
 *
 * @param id the token's id or the user's id, as {@code kind} says
 * @param name the token's name or the person's email
 */
public record Principal(Kind kind, long id, String name, Role role) {
  static final String KEY = "siyu.principal";

  /** The two kinds of caller. */
  public enum Kind { TOKEN, PERSON }

  public static Principal token(long id, String name, Role role) {
    return new Principal(Kind.TOKEN, id, name, role);
  }

  public static Principal person(long userId, String email, Role role) {
    return new Principal(Kind.PERSON, userId, email, role);
  }

  public static Principal of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The token's id, or null for a person. */
  public Long tokenId() {
    return kind == Kind.TOKEN ? id : null;
  }

  /** The user's id, or null for a token. */
  public Long userId() {
    return kind == Kind.PERSON ? id : null;
  }

  public String actor() {
    return (kind == Kind.TOKEN ? "token:" : "user:") + id + ":" + name;
  }
}
