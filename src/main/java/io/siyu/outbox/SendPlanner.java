package io.siyu.outbox;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for a whole claim at once, what becomes of each touch before any provider is asked:
 * the sending policy per touch, then the frequency cap for all marketing sends of the claim in one
 * statement (a place per send, counted per contact and local day). What is left is a list of
 * sends, each with the cap place it holds, and of results to record now (suppressed, deferred).
 */
final class SendPlanner {
  /** A claimed touch: either {@code settled} (record it) or a send on {@code touch.channel()} holding a place of {@code capDay}. */
  record Plan(Touch touch, Transitions.Result settled, LocalDate capDay) {
    static Plan settled(Transitions.Result result) {
      return new Plan(result.touch(), result, null);
    }
  }

  private final SendingPolicy policy;
  private final SendLimits limits;
  private final OutboxSettings settings;

  SendPlanner(SendingPolicy policy, SendLimits limits, OutboxSettings settings) {
    this.policy = policy;
    this.limits = limits;
    this.settings = settings;
  }

  Future<List<Plan>> plan(List<Touch> claimed, Set<String> configured, Instant now) {
    List<Plan> plans = new ArrayList<>();
    Map<SendLimits.Wanted, List<Touch>> capped = new LinkedHashMap<>();
    for (Touch touch : claimed) {
      SendingPolicy.Decision decision = policy.decide(touch, configured, now);
      if (decision instanceof SendingPolicy.Suppress s) {
        plans.add(Plan.settled(Transitions.Result.suppressed(touch, s.reason())));
      } else if (decision instanceof SendingPolicy.Defer d) {
        plans.add(Plan.settled(Transitions.Result.deferred(touch, d.until(), d.reason())));
      } else {
        Touch out = touch.on(((SendingPolicy.Send) decision).channel());
        if (limits.capped(out)) {
          capped.computeIfAbsent(new SendLimits.Wanted(out.contactId(), SendLimits.day(out, now), 0), k -> new ArrayList<>())
              .add(out);
        } else {
          plans.add(new Plan(out, null, null));
        }
      }
    }
    if (capped.isEmpty()) {
      return Future.succeededFuture(plans);
    }
    List<SendLimits.Wanted> wanted = capped.entrySet().stream()
        .map(e -> new SendLimits.Wanted(e.getKey().contactId(), e.getKey().day(), e.getValue().size())).toList();
    return limits.reserveCaps(wanted).map(granted -> {
      int i = 0;
      for (Map.Entry<SendLimits.Wanted, List<Touch>> e : capped.entrySet()) {
        int places = granted.getOrDefault(wanted.get(i++), 0);
        for (Touch out : e.getValue()) {
          plans.add(places-- > 0 ? new Plan(out, null, e.getKey().day()) : Plan.settled(overCap(out, now)));
        }
      }
      return plans;
    }).recover(err -> {
      // the cap could not be checked: those touches try again later, the others go on
      capped.values().forEach(touches -> touches.forEach(out -> plans.add(Plan.settled(
          Transitions.Result.of(out, Delivery.retry("frequency cap: " + err), settings)))));
      return Future.succeededFuture(plans);
    });
  }

  private Transitions.Result overCap(Touch touch, Instant now) {
    return limits.suppressOverCap()
        ? Transitions.Result.suppressed(touch, "over the frequency cap")
        : Transitions.Result.deferred(touch, SendLimits.nextDay(touch, now), "frequency cap reached");
  }
}
