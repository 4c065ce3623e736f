package io.siyu.channel.sms;

/**
 * A callback Siyu must not act on, with the reason in words fit for the gateway's operators.
 * {@link Reason#UNAUTHENTICATED} (missing, forged or stale signature) suits a 401, {@link
 * Reason#MALFORMED} a 400.
 */
public final class SmsCallbackRejected extends RuntimeException {
  public enum Reason { UNAUTHENTICATED, MALFORMED }

  private final Reason reason;

  SmsCallbackRejected(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
