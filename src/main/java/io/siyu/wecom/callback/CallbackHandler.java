package io.siyu.wecom.callback;

import io.vertx.core.Future;
import java.util.List;

/**
 * Turns stored WeCom callbacks of one {@code Event} (e.g. {@code change_external_contact}) into
 * Siyu's contacts, group chats, tags and member events. The inbox calls it after the callback was
 * acknowledged, on the event loop (blocking work goes to a worker).
 *
 * <p>A handler may see the same callback more than once (a retry after a failure, an admin's
 * replay, a crash before the inbox marked it done), so everything it does must be idempotent:
 * upserts keyed by WeCom's ids, member events keyed by the callback ({@code "wecom:" + id}). A
 * failed future retries later with backoff; after the inbox's last attempt the callback is parked
 * with the error for an admin to replay.
 */
public interface CallbackHandler {
  /** The {@code Event} this handler takes. */
  String event();

  Future<Void> handle(WecomCallback callback);

  /**
   * The callbacks of this event one claim of the inbox took, in the order they arrived, handed
   * over together so that a handler can do their work set-wise: a few statements and commits for
   * all of them instead of a few each. Answers one future per callback, in the same order: each is
   * that callback's own outcome, so one bad callback fails (and is retried) alone. Callbacks about
   * the same subject ({@link WecomCallback#subject}) must take effect in the order given.
   *
   * <p>The default hands them to {@link #handle} one by one: those about one subject in turn, the
   * others side by side.
   */
  default List<Future<Void>> handleAll(List<WecomCallback> callbacks) {
    return InTurn.byKey(callbacks, WecomCallback::subject, this::handle);
  }
}
