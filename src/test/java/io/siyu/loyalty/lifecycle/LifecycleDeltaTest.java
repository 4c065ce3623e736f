package io.siyu.loyalty.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daily lifecycle run evaluates only the contacts that can have changed since the last run;
 * these are the cases where it would miss one if it got that set wrong. After every run the whole
 * table is compared with the rules evaluated from scratch.
 */
class LifecycleDeltaTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  static final Members members = new Members(server);

  private static final LifecycleRules DEFAULTS = LifecycleRules.defaults();

  /** A delta run, with every stored stage what the rules say now. */
  private static JsonObject deltaRun() throws Exception {
    JsonObject run = members.recompute();
    assertEquals("delta", run.getString("lifecycle_pass"), run.encode());
    assertEquals(0, members.stagesOff(DEFAULTS));
    return run;
  }

  @Test
  void membersCrossingTheLinesWhileRunsWereSkippedAreFound() throws Exception {
    members.recompute();
    long dormantSoon = members.contact();
    members.purchase(dormantSoon, "10.00", Duration.ofDays(89).plusHours(12));
    long churnedSoon = members.contact();
    members.purchase(churnedSoon, "10.00", Duration.ofDays(179).plusHours(12));
    long stillActive = members.contact();
    members.purchase(stillActive, "10.00", 85);
    deltaRun();
    assertEquals("growing", members.stage(dormantSoon));
    assertEquals("dormant", members.stage(churnedSoon));
    members.untouchedSinceLastRun(dormantSoon, churnedSoon, stillActive);

    // three days without a run: both crossed their line two and a half days ago, not in the last
    // day, and nothing wrote to them since the last run
    members.daysPass(3);
    deltaRun();
    assertEquals("dormant", members.stage(dormantSoon));
    assertEquals("churned", members.stage(churnedSoon));
    assertEquals("growing", members.stage(stillActive));
    assertEquals(0, deltaRun().getLong("lifecycle_changed"), "the same day again changes nothing");
  }

  @Test
  void aStageSetByHandIsEvaluatedAgainAsAFullPassWould() throws Exception {
    members.recompute();
    long c = members.contact();
    members.purchase(c, "10.00", 1);
    deltaRun();
    assertEquals(200, server.api().patch("/api/v1/contacts/" + c, new JsonObject().put("lifecycle_stage", "mature")).status());
    members.daysPass(1);
    deltaRun();
    assertEquals("growing", members.stage(c));
    JsonArray moves = server.api().get("/api/v1/events?type=lifecycle.changed&sort=seq&contact_id=" + c).items();
    assertEquals(new JsonObject().put("from", "mature").put("to", "growing"),
        moves.getJsonObject(moves.size() - 1).getJsonObject("properties"));
  }

  @Test
  void changedThresholdsMakeTheNextRunAFullPass() throws Exception {
    members.recompute();
    long c = members.contact();
    members.purchase(c, "10.00", 70);
    deltaRun();
    assertEquals("growing", members.stage(c));
    members.untouchedSinceLastRun(c);

    // another deployment's rules: dormant after 60 days. The contact crossed that line ten days
    // ago, long before the last run, so only a full pass finds it — and the next run with the
    // default rules, a full pass again, brings it back
    LifecycleRules sixtyDays = new LifecycleRules(2, 500, 60, 180);
    JsonObject shorter = members.recompute(sixtyDays);
    assertEquals("full", shorter.getString("lifecycle_pass"), shorter.encode());
    assertEquals("dormant", members.stage(c));
    assertEquals(0, members.stagesOff(sixtyDays));

    JsonObject back = members.recompute();
    assertEquals("full", back.getString("lifecycle_pass"), back.encode());
    assertEquals("growing", members.stage(c));
    assertEquals(0, members.stagesOff(DEFAULTS));
    deltaRun();
  }
}
