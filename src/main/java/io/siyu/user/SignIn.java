package io.siyu.user;

import io.siyu.auth.SignedIn;
import io.siyu.problem.Problem;
import io.vertx.core.Future;

/**
 * Checking a person's password, the same way for sign-in and a password change: a locked email or
 * address is a 429 before anything else; an unknown email, a disabled person and a wrong password
 * all cost one hash and count one failure, and look the same from outside.
 */
final class SignIn {
  private final UserService users;
  private final SessionService sessions;
  private final Passwords passwords;
  private final SignInThrottle throttle;

  SignIn(UserService users, SessionService sessions, Passwords passwords, SignInThrottle throttle) {
    this.users = users;
    this.sessions = sessions;
    this.passwords = passwords;
    this.throttle = throttle;
  }

  /** A new session for the person with {@code email} and {@code password}, or a 401 / 429. */
  Future<SessionService.Opened> signIn(String email, String password, String address) {
    return throttle.checkNotLocked(email, address)
        .compose(v -> users.forSignIn(email))
        .compose(account -> passwords.verify(password, account == null ? null : account.passwordHash())
            .compose(right -> {
              if (!right || account.disabled()) {
                return throttle.failed(email, address).compose(x -> Future.failedFuture(
                    Problem.unauthorized("The email or the password is wrong")));
              }
              return throttle.succeeded(email)
                  .compose(x -> rehashIfOutdated(account, password))
                  .compose(x -> sessions.open(account));
            }));
  }

  /**
   * Changes the signed-in person's password: the current one must be right (a wrong one counts as a
   * failed sign-in, so a taken-over session cannot guess it), and every other session ends.
   */
  Future<Void> changePassword(SignedIn session, String current, String next, String address) {
    String email = session.principal().name();
    long userId = session.principal().id();
    return throttle.checkNotLocked(email, address)
        .compose(v -> users.passwordHash(userId))
        .compose(phc -> passwords.verify(current, phc))
        .compose(right -> right
            ? throttle.succeeded(email)
            : throttle.failed(email, address).compose(x -> Future.failedFuture(
                Problem.invalid("current_password", "is not the current password"))))
        .compose(v -> users.setPassword(userId, next))
        .compose(v -> sessions.endOthers(userId, session.sessionId()));
  }

  /** A hash made with weaker parameters than today's is replaced while the password is at hand. */
  private Future<Void> rehashIfOutdated(UserService.Account account, String password) {
    return Passwords.outdated(account.passwordHash()) ? users.setPassword(account.id(), password) : Future.succeededFuture();
  }
}
