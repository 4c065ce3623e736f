package io.siyu.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scans that enter contacts without an event: birthdays (each contact's own time zone and
 * hour, 29 February), segment entry (only newcomers, leavers may return, paused journeys take
 * nobody), and scheduled journeys (a Quartz job per journey, each firing entering its segment
 * once). The scans are called with chosen instants, as the Quartz job calls them with the clock's.
 */
class JourneyScanTest {
  private static final Api api = TestSiyu.admin();

  private static JourneyFeature journeys() {
    return TestSiyu.get().services().journeys();
  }

  /** A journey with {@code startProperties} whose one step tags the contact with the journey's key. */
  static String tagJourney(String key, String startProperties) {
    return JourneyDeployTest.journey(key, startProperties, "tag",
        JourneyDeployTest.task("tag", "addTag", "end", "tagGroup", "客户阶段", "tag", key) + "<bpmn:endEvent id=\"end\" />");
  }

  private static String props(String... kv) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      out.append("<camunda:property name=\"").append(kv[i]).append("\" value=\"").append(kv[i + 1]).append("\" />");
    }
    return out.toString();
  }

  private static long contact(JsonObject fields) {
    Reply r = api.post("/api/v1/contacts", fields.put("external_userid", "scan-" + JourneyDeployTest.key()));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  /** The entry keys of {@code contact} in {@code journey}, in order. */
  static List<String> entries(String journey, long contact) throws Exception {
    List<String> keys = new ArrayList<>();
    try (Connection c = TestSiyu.get().database().jdbc().getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT entry_key FROM journey_entries WHERE journey_key = ? AND contact_id = ? ORDER BY id")) {
      st.setString(1, journey);
      st.setLong(2, contact);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    return keys;
  }

  @Test
  void birthdaysEnterAtTheirLocalHourOncePerYear() throws Exception {
    String key = JourneyDeployTest.key();
    assertEquals(201, JourneyDeployTest.deploy(api, tagJourney(key,
        props("siyu.trigger", "birthday", "siyu.hour", "9", "siyu.reentry", "yearly"))).status());
    long shanghai = contact(new JsonObject().put("birthday", "1990-03-15").put("timezone", "Asia/Shanghai"));
    long losAngeles = contact(new JsonObject().put("birthday", "1985-03-15").put("timezone", "America/Los_Angeles"));
    long leapling = contact(new JsonObject().put("birthday", "1992-02-29").put("timezone", "Asia/Shanghai"));
    long dayAfter = contact(new JsonObject().put("birthday", "1990-03-16").put("timezone", "Asia/Shanghai"));
    BirthdayScan scan = journeys().birthdayScan();

    scan.run(Instant.parse("2026-03-15T00:30:00Z")); // 08:30 in Shanghai, still the 14th in Los Angeles
    assertEquals(List.of(), entries(key, shanghai), "before the journey's hour");
    scan.run(Instant.parse("2026-03-15T01:00:00Z")); // 09:00 in Shanghai
    assertEquals(List.of("2026"), entries(key, shanghai));
    assertEquals(List.of(), entries(key, losAngeles), "it is still the 14th in Los Angeles");
    scan.run(Instant.parse("2026-03-15T17:00:00Z")); // 10:00 on the 15th in Los Angeles, 01:00 on the 16th in Shanghai
    scan.run(Instant.parse("2026-03-15T17:15:00Z")); // the next quarter's scan finds nobody new
    assertEquals(List.of("2026"), entries(key, losAngeles));
    assertEquals(List.of("2026"), entries(key, shanghai), "one entry per year however often the scan runs");
    assertEquals(List.of(), entries(key, dayAfter), "the 16th has begun in Shanghai, but not its hour");
    assertTrue(api.get("/api/v1/contacts/" + shanghai + "/tags").body().contains(key), "the journey ran its step");

    scan.run(Instant.parse("2027-02-28T02:00:00Z")); // 2027 has no 29 February: the 28th it is
    scan.run(Instant.parse("2028-02-28T02:00:00Z")); // 2028 has one: not on the 28th
    assertEquals(List.of("2027"), entries(key, leapling));
    scan.run(Instant.parse("2028-02-29T02:00:00Z"));
    assertEquals(List.of("2027", "2028"), entries(key, leapling));
  }

  @Test
  void candidateDaysCoverEveryTimeZoneAndTheLeapDay() {
    assertEquals(List.of(java.time.MonthDay.of(3, 14), java.time.MonthDay.of(3, 15), java.time.MonthDay.of(3, 16)),
        BirthdayScan.candidateDays(Instant.parse("2026-03-15T12:00:00Z")));
    assertTrue(BirthdayScan.candidateDays(Instant.parse("2027-03-01T00:00:00Z")).contains(java.time.MonthDay.of(2, 29)));
    assertTrue(!BirthdayScan.candidateDays(Instant.parse("2026-06-10T00:00:00Z")).contains(java.time.MonthDay.of(2, 29)));
  }

  /** A saved segment of the contacts named {@code name}: renaming a contact moves it in or out. */
  static long segmentOfName(Api api, String name) {
    Reply r = api.post("/api/v1/segments", new JsonObject().put("name", "seg-" + name).put("filter",
        new JsonObject().put("all", new JsonArray().add(new JsonObject().put("field", "name").put("op", "eq").put("value", name)))));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static void rename(long contact, String name) {
    assertEquals(200, api.patch("/api/v1/contacts/" + contact, new JsonObject().put("name", name)).status());
  }

  @Test
  void newcomersToASegmentEnterAndTheBaselineDoesNot() throws Exception {
    String key = JourneyDeployTest.key();
    String in = "in-" + key;
    long segment = segmentOfName(api, in);
    long early = contact(new JsonObject().put("name", in));
    assertEquals(201, JourneyDeployTest.deploy(api, tagJourney(key,
        props("siyu.trigger", "segment", "siyu.segment", Long.toString(segment), "siyu.reentry", "once"))).status());
    SegmentScan scan = journeys().segmentScan();
    Instant now = Instant.now();

    JsonObject first = scanResult(scan.run(now), key);
    assertTrue(first.getBoolean("baseline"), first.encode());
    assertEquals(List.of(), entries(key, early), "members at the baseline do not enter");

    long newcomer = contact(new JsonObject().put("name", in));
    JsonObject second = scanResult(scan.run(now), key);
    assertEquals(1, second.getInteger("joined"), second.encode());
    assertEquals(1, second.getInteger("entered"));
    assertEquals(List.of("once"), entries(key, newcomer));

    rename(early, "out");
    assertEquals(1, scanResult(scan.run(now), key).getInteger("left"));
    rename(early, in);
    rename(newcomer, "out");
    JsonObject swap = scanResult(scan.run(now), key);
    assertEquals(1, swap.getInteger("entered"), "the early member's return counts as new: " + swap.encode());
    assertEquals(1, swap.getInteger("left"));
    rename(newcomer, in);
    JsonObject back = scanResult(scan.run(now), key);
    assertEquals(0, back.getInteger("entered"), "the newcomer's return is refused by the once policy");
    assertEquals(1, back.getInteger("already_entered"), back.encode());
    assertEquals(List.of("once"), entries(key, early));
    assertEquals(List.of("once"), entries(key, newcomer));

    assertEquals(200, api.post("/api/v1/journeys/" + key + "/pause", new JsonObject()).status());
    journeys().registry().forget();
    long whilePaused = contact(new JsonObject().put("name", in));
    assertEquals(1, scanResult(scan.run(now), key).getInteger("joined"));
    assertEquals(200, api.post("/api/v1/journeys/" + key + "/activate", new JsonObject()).status());
    journeys().registry().forget();
    assertEquals(0, scanResult(scan.run(now), key).getInteger("entered"), "who joined while paused does not enter later");
    assertEquals(List.of(), entries(key, whilePaused));
  }

  @Test
  void existingMembersEnterWhenTheJourneySaysSo() throws Exception {
    String key = JourneyDeployTest.key();
    String in = "all-" + key;
    long segment = segmentOfName(api, in);
    long member = contact(new JsonObject().put("name", in));
    assertEquals(201, JourneyDeployTest.deploy(api, tagJourney(key, props("siyu.trigger", "segment",
        "siyu.segment", Long.toString(segment), "siyu.existing", "enter"))).status());
    JsonObject first = scanResult(journeys().segmentScan().run(Instant.now()), key);
    assertEquals(1, first.getInteger("entered"), first.encode());
    assertEquals(List.of("once"), entries(key, member));
  }

  private static JsonObject scanResult(JsonObject run, String key) {
    return run.getJsonArray("journeys").stream().map(JsonObject.class::cast)
        .filter(j -> j.getString("journey").equals(key)).findFirst().orElseThrow(() -> new AssertionError(run.encode()));
  }

  @Test
  void aScheduledJourneyHasItsJobAndEachFiringEntersItsSegmentOnce() throws Exception {
    String key = JourneyDeployTest.key();
    String in = "sched-" + key;
    long segment = segmentOfName(api, in);
    long a = contact(new JsonObject().put("name", in));
    long b = contact(new JsonObject().put("name", in));
    assertEquals(201, JourneyDeployTest.deploy(api, tagJourney(key, props("siyu.trigger", "schedule",
        "siyu.segment", Long.toString(segment), "siyu.cron", "0 0 10 ? * MON", "siyu.reentry", "daily"))).status());
    JsonObject job = job("journey:" + key);
    assertEquals("0 0 10 ? * MON", job.getString("cron"), job.encode());

    assertEquals(202, api.post("/api/v1/schedules/journey:" + key + "/run", new JsonObject()).status());
    JsonObject run = awaitRun("journey:" + key, 1);
    assertEquals("done", run.getString("status"), run.encode());
    assertEquals(2, run.getJsonObject("result").getInteger("entered"), run.encode());
    assertEquals(1, entries(key, a).size());
    assertEquals(1, entries(key, b).size());

    // the same day again: the daily policy refuses both, and SQL skips them before the engine sees them
    assertEquals(202, api.post("/api/v1/schedules/journey:" + key + "/run", new JsonObject()).status());
    JsonObject again = awaitRun("journey:" + key, 2);
    assertEquals(0, again.getJsonObject("result").getInteger("audience"), again.encode());
    assertEquals(1, entries(key, a).size());

    // redeployed as a manual journey: its job goes
    assertEquals(201, JourneyDeployTest.deploy(api, tagJourney(key, props("siyu.trigger", "manual"))).status());
    assertEquals(null, job("journey:" + key));
    assertEquals(404, api.post("/api/v1/schedules/journey:" + key + "/run", new JsonObject()).status());
  }

  private static JsonObject job(String name) {
    return api.get("/api/v1/schedules").items().stream().map(JsonObject.class::cast)
        .filter(j -> j.getString("name").equals(name)).findFirst().orElse(null);
  }

  /** Waits for the job's {@code n}-th run to finish, and answers it. */
  private static JsonObject awaitRun(String job, int n) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      JsonArray runs = api.get("/api/v1/schedules/" + job + "/runs").items();
      if (runs.size() >= n && !runs.getJsonObject(0).getString("status").equals("running")) {
        return runs.getJsonObject(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + n + " of " + job + " did not finish");
  }
}
