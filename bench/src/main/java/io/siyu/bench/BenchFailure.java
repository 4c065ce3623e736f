package io.siyu.bench;

/** A failed check: reported in one line, no stack trace. */
final class BenchFailure extends RuntimeException {
  BenchFailure(String message) {
    super(message);
  }
}
