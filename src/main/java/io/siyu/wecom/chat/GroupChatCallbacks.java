package io.siyu.wecom.chat;

import io.siyu.event.EventService;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.callback.CallbackHandler;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_chat}: customer group chats created, changed and dismissed. With the WeCom
 * API configured, a create or update reads the chat from {@code externalcontact/groupchat/get} and
 * sets Siyu's copy to match (name, owner, notice, every member); without it, or when WeCom will not
 * show the chat (a permanent error, e.g. it was dismissed since), the callback's own joins and
 * leaves are applied. External contacts Siyu knows who join or leave become
 * {@code wecom.group_joined} / {@code wecom.group_left} events.
 *
 * <p>Idempotent: the change log is keyed by the callback, so a callback seen again changes nothing
 * and only sends its events again, which event ingestion drops by their ids.
 */
public final class GroupChatCallbacks implements CallbackHandler {
  private static final Logger log = LoggerFactory.getLogger(GroupChatCallbacks.class);

  private final GroupChatStore store;
  private final EventService events;
  private final WecomClient wecom;

  /** {@code wecom}: null when the WeCom API is not configured. */
  public GroupChatCallbacks(Pool pool, EventService events, WecomClient wecom) {
    this.store = new GroupChatStore(pool);
    this.events = events;
    this.wecom = wecom != null && wecom.customerContactConfigured() ? wecom : null;
  }

  @Override
  public String event() {
    return ChatChange.EVENT;
  }

  @Override
  public Future<Void> handle(WecomCallback callback) {
    ChatChange change;
    try {
      change = ChatChange.of(callback);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return fetch(change)
        .compose(state -> store.apply(change, state))
        .compose(this::send);
  }

  /** The chat as WeCom shows it now, or null when Siyu goes by the callback alone. */
  private Future<GroupChatState> fetch(ChatChange change) {
    if (wecom == null || change.dismisses()) {
      return Future.succeededFuture();
    }
    return wecom.groupChat(change.chatId()).map(GroupChatState::of).recover(err -> {
      if (err instanceof WecomClient.CallFailed failed && !failed.retryable()) {
        log.warn("Group chat {}: groupchat/get refused ({}); applying callback {} as it stands",
            change.chatId(), err.getMessage(), change.callbackId());
        return Future.succeededFuture();
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Void> send(JsonArray memberEvents) {
    if (memberEvents.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Object> batch = new ArrayList<>(memberEvents.getList().size());
    memberEvents.forEach(batch::add);
    return events.ingest(batch, true).mapEmpty();
  }
}
