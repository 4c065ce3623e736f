package io.siyu.wecom.contact;

import io.siyu.contact.ContactService;
import io.siyu.event.EventService;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.callback.CallbackHandler;
import io.siyu.wecom.callback.InTurn;
import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.channelcode.ChannelCodeEffects;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
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
 *
 * <p>A claim's callbacks come together ({@link #handleAll}) and go through these steps together:
 * one transaction for all their relations, one event ingestion for all their events, one statement
 * marking them complete — a few commits per batch instead of three per callback. Profiles, tags
 * and journeys stay each callback's own (one contact's in turn), and so do their failures.
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
    return handleAll(List.of(callback)).get(0);
  }

  /**
   * The callbacks' changes together. Should a step they share fail (one callback's event that
   * ingestion refuses fails the whole ingestion, say), each change is handled again alone, one
   * after another in the order they arrived, so only the bad one fails: every step is idempotent,
   * and a change's row remembers what was done.
   */
  @Override
  public List<Future<Void>> handleAll(List<WecomCallback> callbacks) {
    List<Future<Void>> outcomes = new ArrayList<>(callbacks.size());
    // by callback: the same callback twice in a batch is one change
    Map<Long, ContactChange> changes = new LinkedHashMap<>();
    Map<Long, Promise<Void>> answers = new HashMap<>();
    for (WecomCallback callback : callbacks) {
      ContactChange change;
      try {
        change = ContactChange.of(callback);
      } catch (IllegalArgumentException e) {
        outcomes.add(Future.failedFuture(e));
        continue;
      }
      if (change == null) {
        log.info("WeCom callback {}: change type {} is not one Siyu handles; left alone", callback.id(),
            callback.changeType());
        outcomes.add(Future.succeededFuture());
        continue;
      }
      changes.putIfAbsent(callback.id(), change);
      outcomes.add(answers.computeIfAbsent(callback.id(), id -> Promise.promise()).future());
    }
    if (changes.isEmpty()) {
      return outcomes;
    }
    List<ContactChange> batch = List.copyOf(changes.values());
    together(batch)
        .recover(err -> {
          if (batch.size() == 1) {
            return Future.failedFuture(err);
          }
          log.warn("{} WeCom contact changes failed together ({}); handling them one by one", batch.size(),
              err.toString());
          return oneByOne(batch);
        })
        .onComplete(ar -> answers.forEach((id, answer) -> {
          Throwable failure = ar.failed() ? ar.cause() : ar.result().get(id);
          if (failure == null) {
            answer.complete();
          } else {
            answer.fail(failure);
          }
        }));
    return outcomes;
  }

  /** Each change alone, in turn; the failures by callback. */
  private Future<Map<Long, Throwable>> oneByOne(List<ContactChange> batch) {
    Map<Long, Throwable> failures = new HashMap<>();
    Future<Void> done = Future.succeededFuture();
    for (ContactChange change : batch) {
      done = done.compose(v -> together(List.of(change)).transform(ar -> {
        if (ar.failed()) {
          failures.put(change.callbackId(), ar.cause());
        } else {
          failures.putAll(ar.result());
        }
        return Future.<Void>succeededFuture();
      }));
    }
    return done.map(failures);
  }

  /**
   * The steps for {@code batch}, shared where they can be; answers the callbacks that failed on
   * their own (the others are complete), and fails when a shared step did.
   */
  private Future<Map<Long, Throwable>> together(List<ContactChange> batch) {
    Map<Long, ContactChange> byId = new HashMap<>();
    batch.forEach(c -> byId.put(c.callbackId(), c));
    // written from the threads the steps finish on
    Map<Long, Throwable> failures = new ConcurrentHashMap<>();
    return follows.apply(batch).compose(applied -> {
      List<FollowChanges.Applied> open = applied.stream().filter(a -> !a.completed()).toList();
      List<Future<Void>> before = InTurn.byKey(open, FollowChanges.Applied::contactId,
          a -> beforeEvent(byId.get(a.callbackId()), a, failures));
      return Future.join(before).transform(x -> {
        List<FollowChanges.Applied> ready = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
          if (before.get(i).succeeded()) {
            ready.add(open.get(i));
          } else {
            failures.put(open.get(i).callbackId(), before.get(i).cause());
          }
        }
        return afterTags(ready, byId, failures);
      });
    }).map(failures);
  }

  /**
   * The profile (its failure noted in {@code failures}, the event goes out anyway) and the code's
   * tags (their failure fails this one callback before its event).
   */
  private Future<Void> beforeEvent(ContactChange change, FollowChanges.Applied applied,
      Map<Long, Throwable> failures) {
    Future<Void> profile = change.wantsProfile() && profiles.configured()
        ? profiles.refresh(applied.contactId(), change.externalUserId()).recover(e -> {
          if (worthRetrying(change, e)) {
            failures.put(change.callbackId(), e);
          }
          return Future.succeededFuture();
        })
        : Future.succeededFuture();
    Long code = change.isAdd() ? applied.channelCodeId() : null;
    return profile.compose(v -> code == null ? Future.succeededFuture() : codes.tag(code, applied.contactId()));
  }

  /**
   * The events of the changes whose tags are on, in one ingestion (that failing fails them all);
   * the journeys of the new relations through a code; then the changes with nothing left to do are
   * complete.
   */
  private Future<Void> afterTags(List<FollowChanges.Applied> ready, Map<Long, ContactChange> byId,
      Map<Long, Throwable> failures) {
    if (ready.isEmpty()) {
      return Future.succeededFuture();
    }
    return events.ingest(ready.stream().map(a -> (Object) a.event()).toList(), false).compose(stored -> {
      List<Integer> indexes = IntStream.range(0, ready.size()).boxed().toList();
      List<Future<Void>> journeys = InTurn.byKey(indexes, i -> ready.get(i).contactId(), i -> {
        FollowChanges.Applied a = ready.get(i);
        Long code = byId.get(a.callbackId()).isAdd() ? a.channelCodeId() : null;
        return code == null || !a.newRelation() ? Future.succeededFuture()
            : codes.enterJourney(code, a.contactId(), stored.get(i).event());
      });
      return Future.join(journeys).transform(x -> {
        List<Long> complete = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
          long id = ready.get(i).callbackId();
          if (journeys.get(i).failed()) {
            failures.put(id, journeys.get(i).cause());
          } else if (failures.containsKey(id)) {
            log.warn("WeCom callback {}: the customer's profile could not be read ({}); retried with the callback", id,
                failures.get(id).getMessage());
          } else {
            complete.add(id);
          }
        }
        return follows.complete(complete);
      });
    });
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
}
