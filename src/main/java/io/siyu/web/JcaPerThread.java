package io.siyu.web;

import java.security.GeneralSecurityException;

/**
 * Ciphers, digests and MACs kept one per thread, for code that uses them on every request of a hot
 * path (a callback's signature, decryption and dedup hash; a touch's webhook signature). Looking one
 * up ({@code Cipher.getInstance} and friends walk the providers' service lists and construct by
 * reflection) cost more than the cryptography itself. None of them is thread-safe, so one per thread;
 * the caller initialises or resets it per use.
 */
public final class JcaPerThread {
  private JcaPerThread() {}

  /** {@code Cipher::getInstance}, {@code MessageDigest::getInstance}, {@code Mac::getInstance}. */
  @FunctionalInterface
  public interface Lookup<T> {
    T get(String algorithm) throws GeneralSecurityException;
  }

  /** One {@code algorithm} instance per thread, made on the thread's first use. */
  public static <T> ThreadLocal<T> of(Lookup<T> lookup, String algorithm) {
    return ThreadLocal.withInitial(() -> make(lookup, algorithm));
  }

  /** One instance; an algorithm every Java runtime has, so its absence is a broken runtime. */
  public static <T> T make(Lookup<T> lookup, String algorithm) {
    try {
      return lookup.get(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
