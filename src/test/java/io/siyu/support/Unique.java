package io.siyu.support;

import java.util.UUID;

/**
 * Names, keys and ids no other test uses: the shared server and its database live for the whole
 * run (and an external database may hold earlier runs), so each test makes its own.
 */
public final class Unique {
  private Unique() {}

  /** Ten random lowercase hex characters, e.g. {@code "tag-" + unique()}. */
  public static String unique() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
