package io.siyu.support;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Environments for the channels' settings: a base block with a few variables changed, and what a bad one says. */
public final class Envs {
  private Envs() {}

  public static Map<String, String> with(Map<String, String> base, Map<String, String> changes) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(changes);
    return env;
  }

  public static Map<String, String> with(Map<String, String> base, String key, String value) {
    return with(base, Map.of(key, value));
  }

  /** The message of the {@link IllegalArgumentException} that {@code fromEnv} throws for {@code env}. */
  public static String error(Function<Map<String, String>, ?> fromEnv, Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> fromEnv.apply(env)).getMessage();
  }
}
