package io.siyu.user;

import io.siyu.auth.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The people feature in one piece: users, their passwords, sessions and sign-in, made once per Siyu. */
public final class People {
  private final PeopleSettings settings;
  private final Passwords passwords;
  private final UserService users;
  private final SessionService sessions;
  private final SignIn signIn;

  public People(Vertx vertx, Pool pool, PeopleSettings settings) {
    this.settings = settings;
    this.passwords = new Passwords(vertx, settings.hashThreads());
    this.users = new UserService(pool, passwords);
    this.sessions = new SessionService(pool, settings);
    this.signIn = new SignIn(users, sessions, passwords, new SignInThrottle(pool, settings));
  }

  /** What the API guard asks about a session cookie. */
  public SessionCheck sessionCheck() {
    return sessions;
  }

  /**
   * At start: the first person (an admin, SIYU_ADMIN_EMAIL) when there is none. Answers the generated
   * password to print once, or null.
   */
  public Future<String> bootstrap() {
    return users.bootstrap(settings.adminEmail(), settings.adminPassword());
  }

  UserService users() {
    return users;
  }

  SessionService sessions() {
    return sessions;
  }

  SignIn signIn() {
    return signIn;
  }
}
