package io.siyu.app;

import io.siyu.async.Blocking;
import io.siyu.journey.JourneyFeature;
import io.siyu.loyalty.growth.GrowthService;
import io.siyu.loyalty.lifecycle.Recompute;
import io.siyu.schedule.Schedules.Spec;
import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/** The fixed jobs of Siyu's schedule, with the crons configured for them and the services they run. */
final class ScheduledJobs {
  /** How long a job waits for work over every contact before it counts as failed. */
  private static final long LONG_WORK_SECONDS = 6 * 3600;

  private ScheduledJobs() {}

  static List<Spec> of(Config config, Recompute recompute, GrowthService growth, Supplier<JourneyFeature> journeys) {
    return List.of(
        new Spec("loyalty-recompute", config.recomputeCron(), "Lifecycle stages, RFM classes, points and rights expiry",
            at -> Blocking.await(recompute.run(), LONG_WORK_SECONDS)),
        new Spec("tier-review", config.tierReviewCron(), "Tiers kept by the last 12 months of growth",
            at -> Blocking.await(growth.review(), LONG_WORK_SECONDS)),
        new Spec("journey-birthdays", config.journeys().birthdayScanCron(),
            "Birthday journeys: contacts whose birthday hour has come in their time zone enter",
            at -> journeys.get().birthdayScan().run(ClockUtil.getCurrentTime().toInstant())),
        new Spec("journey-segments", config.journeys().segmentScanCron(),
            "Segment-entry journeys: contacts newly matching the journey's segment enter",
            at -> journeys.get().segmentScan().run(ClockUtil.getCurrentTime().toInstant())));
  }
}
