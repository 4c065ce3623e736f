package io.siyu.auth;

import io.siyu.problem.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * The role matrix, in one place. Each route names one of these before its handler:
 * <ul>
 *   <li>{@link #READ}: admin, operator, manager — looking at anything but tokens;
 *   <li>{@link #WRITE}: admin, operator — changing contacts, tags, segments, attributes;
 *   <li>{@link #INGEST}: admin, operator, integration — posting events and imports;
 *   <li>{@link #ADMIN}: admin only — tokens and users;
 *   <li>{@link #ANYONE}: every role — one's own session and password;
 *   <li>{@link #TOUCHES_READ}, {@link #TOUCHES_WRITE}: the outbox's touches, read like contacts and
 *       sent (one-off, e.g. a template test) and requeued by those who may change contacts.
 * </ul>
 */
public final class Access {
  public static final Handler<RoutingContext> READ = allow(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.MANAGER));
  public static final Handler<RoutingContext> WRITE = allow(EnumSet.of(Role.ADMIN, Role.OPERATOR));
  public static final Handler<RoutingContext> INGEST = allow(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.INTEGRATION));
  /** Import progress: whoever may start an import may watch it, and managers may read it. */
  public static final Handler<RoutingContext> INGEST_OR_READ = allow(Role.all());
  public static final Handler<RoutingContext> ADMIN = allow(EnumSet.of(Role.ADMIN));
  /** Whoever is signed in or holds a token, whatever the role: one's own session and password. */
  public static final Handler<RoutingContext> ANYONE = allow(Role.all());
  /** Named apart from READ and WRITE so delivery status can open up (say, to integrations) on its own. */
  public static final Handler<RoutingContext> TOUCHES_READ = allow(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.MANAGER));
  public static final Handler<RoutingContext> TOUCHES_WRITE = allow(EnumSet.of(Role.ADMIN, Role.OPERATOR));

  private Access() {}

  private static Handler<RoutingContext> allow(Set<Role> roles) {
    return ctx -> {
      Principal p = Principal.of(ctx);
      if (p == null) {
        ctx.fail(Problem.unauthorized("Sign in, or send a valid bearer token"));
      } else if (!roles.contains(p.role())) {
        ctx.fail(Problem.forbidden("The " + p.role().wire() + " role may not do this"));
      } else {
        ctx.next();
      }
    };
  }
}
