package io.siyu.outbox;

/**
 * What a channel says about one send: {@code answer} is the provider's reply (status and body,
 * or the error), kept as the touch's {@code last_error} when it did not go through.
 */
public record Delivery(Outcome outcome, String answer) {
  /** Longest answer kept; providers can answer with whole HTML pages. */
  static final int MAX_ANSWER = 2000;

  public enum Outcome {
    /** The provider accepted the touch. */
    SENT,
    /** Try again later (timeouts, throttling, the provider's own errors). */
    RETRY,
    /** Never going to work as it is (bad request, unknown channel): dead at once. */
    FAILED
  }

  public Delivery {
    if (answer != null && answer.length() > MAX_ANSWER) {
      answer = answer.substring(0, MAX_ANSWER) + "…";
    }
  }

  public static Delivery sent(String answer) {
    return new Delivery(Outcome.SENT, answer);
  }

  public static Delivery retry(String answer) {
    return new Delivery(Outcome.RETRY, answer);
  }

  public static Delivery failed(String answer) {
    return new Delivery(Outcome.FAILED, answer);
  }
}
