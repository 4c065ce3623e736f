package io.siyu.user;

import io.siyu.env.Env;
import java.time.Duration;
import java.util.Map;

/**
 * How people sign in: the {@code SIYU_SESSION_*}, {@code SIYU_SIGN_IN_*} and bootstrap admin
 * variables of docs/CONFIGURATION.md.
 *
 * @param sessionIdle a session not used for this long has ended
 * @param sessionMax a session ends this long after sign-in, however much it is used
 * @param maxFailuresPerEmail wrong passwords for one email within {@link SignInThrottle#WINDOW} that lock it
 * @param maxFailuresPerAddress the same for one client address (higher: an office signs in through one)
 * @param firstLock how long the first lock lasts; each further one twice the one before, up to an hour
 * @param adminPassword null: the bootstrap admin gets a generated password, printed once
 * @param hashThreads passwords hashed at once
 */
public record PeopleSettings(Duration sessionIdle, Duration sessionMax, int maxFailuresPerEmail,
    int maxFailuresPerAddress, Duration firstLock, String adminEmail, String adminPassword, int hashThreads) {

  public static PeopleSettings fromEnv(Map<String, String> environment) {
    Env env = new Env(environment);
    String adminEmail = env.string("SIYU_ADMIN_EMAIL", "admin@localhost");
    String emailProblem = UserInput.emailProblem(adminEmail);
    if (emailProblem != null) {
      throw new IllegalArgumentException("SIYU_ADMIN_EMAIL " + emailProblem);
    }
    String adminPassword = env.optional("SIYU_ADMIN_PASSWORD").orElse(null);
    if (adminPassword != null) {
      String weakness = PasswordPolicy.problem(adminPassword, adminEmail);
      if (weakness != null) {
        // the password itself is never repeated
        throw new IllegalArgumentException("SIYU_ADMIN_PASSWORD " + weakness
            + " (or leave it unset: the first start then generates one and prints it once)");
      }
    }
    return new PeopleSettings(
        Duration.ofMinutes(env.integer("SIYU_SESSION_IDLE_MINUTES", 30, 1, 7 * 24 * 60)),
        Duration.ofHours(env.integer("SIYU_SESSION_MAX_HOURS", 12, 1, 90 * 24)),
        env.integer("SIYU_SIGN_IN_MAX_FAILURES", 5, 2, 1_000),
        env.integer("SIYU_SIGN_IN_MAX_FAILURES_PER_ADDRESS", 20, 2, 100_000),
        Duration.ofSeconds(env.integer("SIYU_SIGN_IN_LOCK_SECONDS", 60, 1, 86_400)),
        adminEmail,
        adminPassword,
        env.integer("SIYU_PASSWORD_HASH_THREADS", Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1, 64));
  }
}
