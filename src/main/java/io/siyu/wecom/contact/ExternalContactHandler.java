package io.siyu.wecom.contact;

import io.siyu.channel.wecom.WecomClient;
import io.siyu.contact.ContactService;
import io.siyu.event.EventService;
import io.siyu.wecom.callback.CallbackHandler;
import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.channelcode.ChannelCodeEffects;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_contact}: a customer added, edited, or deleted — or was deleted by — a
 * staff member. In order:
 * <ol>
 *   <li>the contact, the follow relation and the change's row, in one transaction
 *       ({@link FollowChanges}); a callback seen before skips this and replays what it recorded;
 *   <li>for adds and edits, the WeCom profile ({@link ProfileSync}), when the customer-contact
 *       secret is set — before the event, so the welcome message can greet the customer by name,
 *       but a WeCom that does not answer holds back nothing else: its failure fails the callback only
 *       at the end, and the retry fetches again (a refusal no retry can change is logged instead);
 *   <li>for an add through a channel code, the code's tags (before the event, so journeys it wakes
 *       see them);
 *   <li>the member event ({@code wecom.contact_added}, {@code _half_added}, {@code _edited},
 *       {@code _deleted}, {@code _lost}, {@code wecom.transfer_failed}), keyed by the callback;
 *   <li>for a new relation through a channel code, the code's journey.
 * </ol>
 * When all went through, the change's row is marked complete and a replay does nothing at all.
 */
public final class ExternalContactHandler implements CallbackHandler {
  private static final Logger log = LoggerFactory.getLogger(ExternalContactHandler.class);

  private final FollowChanges follows;
  private final ProfileSync profiles;
  private final ChannelCodeEffects codes;
  private final EventService events;

  ExternalContactHandler(FollowChanges follows, ProfileSync profiles, ChannelCodeEffects codes, EventService events) {
    this.follows = follows;
    this.profiles = profiles;
    this.codes = codes;
    this.events = events;
  }

  /** {@code client}: null when WeCom's customer contact is not configured (profiles are then not fetched). */
  public static ExternalContactHandler create(Pool pool, ContactService contacts, EventService events,
      ChannelCodeEffects codes, WecomClient client) {
    return new ExternalContactHandler(new FollowChanges(pool, contacts, codes), new ProfileSync(pool, client), codes,
        events);
  }

  @Override
  public String event() {
    return ContactChange.EVENT;
  }

  @Override
  public Future<Void> handle(WecomCallback callback) {
    ContactChange change;
    try {
      change = ContactChange.of(callback);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (change == null) {
      log.info("WeCom callback {}: change type {} is not one Siyu handles; left alone", callback.id(),
          callback.changeType());
      return Future.succeededFuture();
    }
    return follows.apply(change)
        .compose(applied -> applied.completed() ? Future.succeededFuture() : finish(change, applied));
  }

  /**
   * A profile WeCom may give later (busy, unreachable) is worth failing the callback for; one it
   * refused for good (an errcode such as 84061, the customer is no longer anyone's) is not: retries
   * would only park the callback, with its event and relation long done.
   */
  private static boolean worthRetrying(ContactChange change, Throwable error) {
    if (error instanceof WecomClient.CallFailed failed && !failed.retryable()) {
      log.warn("WeCom callback {}: the profile of {} cannot be read: {}", change.callbackId(), change.externalUserId(),
          failed.getMessage());
      return false;
    }
    return true;
  }

  private Future<Void> finish(ContactChange change, FollowChanges.Applied applied) {
    Future<Throwable> profile = change.wantsProfile() && profiles.configured()
        ? profiles.refresh(applied.contactId(), change.externalUserId()).<Throwable>map(v -> null)
            .otherwise(e -> worthRetrying(change, e) ? e : null)
        : Future.succeededFuture();
    Long code = change.isAdd() ? applied.channelCodeId() : null;
    return profile.compose(profileFailure -> (code == null ? Future.<Void>succeededFuture()
            : codes.tag(code, applied.contactId()))
        .compose(v -> events.ingest(List.of(applied.event()), false))
        .compose(stored -> code == null || !applied.newRelation() ? Future.<Void>succeededFuture()
            : codes.enterJourney(code, applied.contactId(), stored.get(0).event()))
        .compose(v -> {
          if (profileFailure != null) {
            log.warn("WeCom callback {}: the customer's profile could not be read ({}); retried with the callback",
                change.callbackId(), profileFailure.getMessage());
            return Future.failedFuture(profileFailure);
          }
          return follows.complete(change.callbackId());
        }));
  }
}
