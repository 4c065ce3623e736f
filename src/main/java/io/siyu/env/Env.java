package io.siyu.env;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads {@code SIYU_*} environment variables, the one idiom for every setting of Siyu (the
 * application's and each feature's or channel's own block). A blank value counts as unset; every
 * error is an {@link IllegalArgumentException} that names the variable, so a bad deployment says
 * which line of its environment to fix. Secrets are never echoed in messages.
 */
public final class Env {
  private final Map<String, String> env;

  public Env(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The value, or empty when the variable is unset or blank. */
  public Optional<String> optional(String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  public String string(String key, String defaultValue) {
    return optional(key).orElse(defaultValue);
  }

  /** The value; {@code when} says why it is needed ("when SIYU_SMS_URL is set"). */
  public String required(String key, String when) {
    return optional(key).orElseThrow(() -> new IllegalArgumentException(key + " must be set " + when));
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = optional(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", got '"
        + raw.get() + "'");
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    Optional<String> raw = optional(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", got '"
        + raw.get() + "'");
  }

  /** A path, absolute and normalised (relative ones are taken from the working directory). */
  public java.nio.file.Path path(String key, String defaultValue) {
    return java.nio.file.Path.of(string(key, defaultValue)).toAbsolutePath().normalize();
  }

  /** An absolute http:// or https:// URL, without a trailing slash. */
  public String httpUrl(String key, String defaultValue) {
    String url = string(key, defaultValue);
    if (url == null) {
      return null;
    }
    if (!isHttpUrl(url)) {
      throw new IllegalArgumentException(key + " must be an http:// or https:// URL, got '" + url + "'");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public <E extends Enum<E>> E oneOf(String key, Class<E> type, E defaultValue) {
    Optional<String> raw = optional(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(raw.get())) {
        return constant;
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(key + " must be one of " + allowed + ", got '" + raw.get() + "'");
  }

  /** Fails when {@code key} is set without {@code companion}: half a credential is a mistake, not a choice. */
  public void together(String key, String companion) {
    if (optional(key).isPresent() != optional(companion).isPresent()) {
      throw new IllegalArgumentException(key + " and " + companion + " must be set together");
    }
  }

  public static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
