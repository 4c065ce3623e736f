package io.siyu.schedule;

import io.siyu.journey.JourneyRegistry;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled work of Siyu on Quartz, with its clustered JDBC job store in Siyu's own database:
 * however many instances run, each firing happens on one of them, and each run is recorded in
 * schedule_runs with the instance that ran it. Jobs run on Quartz's threads and wait there for
 * the services they call (blocking engine calls included), so the event loop never waits.
 *
 * <p>Two kinds of job: the fixed ones below, and one per scheduled journey ({@code journey:<key>},
 * its cron read from the journey's BPMN), kept in step with the deployed journeys by
 * {@link #syncJourneys}.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String SCHEDULES = "siyu.schedules";
  private static final String JDBC = "siyu.jdbc";
  private static final String GROUP = "siyu";
  private static final String JOURNEY_JOB = "journey:";
  /** Where Quartz keeps a recovered job's original firing (see JobExecutionContext#isRecovering). */
  private static final String ORIGINAL_FIRING = "QRTZ_FAILED_JOB_ORIG_TRIGGER_FIRETIME_IN_MILLISECONDS_AS_STRING";

  /** What a job does when it fires; {@code firing} is the time it was due. Runs on a Quartz thread: it may block. */
  @FunctionalInterface
  public interface Work {
    Object run(Instant firing) throws Exception;
  }

  /** What the job of a scheduled journey does: enter the journey's audience for that firing. */
  @FunctionalInterface
  public interface JourneyWork {
    Object run(String journeyKey, Instant firing) throws Exception;
  }

  /** One fixed job: its name, its cron, and what it runs. */
  public record Spec(String name, String cron, String description, Work work) {}

  private final Scheduler scheduler;
  private final List<Spec> specs;
  private final JourneyWork journeys;
  private final TimeZone zone;

  private Schedules(Scheduler scheduler, List<Spec> specs, JourneyWork journeys, TimeZone zone) {
    this.scheduler = scheduler;
    this.specs = specs;
    this.journeys = journeys;
    this.zone = zone;
  }

  /**
   * Blocking: starts Quartz over {@code jdbc} and (re)schedules every fixed job with its configured
   * cron; {@code journeys} runs the jobs of scheduled journeys ({@link #syncJourneys}).
   */
  public static Schedules start(DataSource jdbc, String schedulerName, String zone, List<Spec> specs, JourneyWork journeys)
      throws SchedulerException {
    String provider = "siyu-" + UUID.randomUUID();
    DBConnectionManager.getInstance().addConnectionProvider(provider, new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return jdbc.getConnection();
      }

      @Override
      public void shutdown() {
        // the pool belongs to Siyu, which closes it
      }

      @Override
      public void initialize() {
        // nothing to set up
      }
    });
    Scheduler scheduler = new StdSchedulerFactory(properties(schedulerName, provider)).getScheduler();
    // Quartz keeps one scheduler per name in a JVM; Siyu holds its own, so another Siyu in the same
    // JVM (tests run two instances of one cluster) gets a scheduler of its own under the same name
    SchedulerRepository.getInstance().remove(schedulerName);
    Schedules schedules = new Schedules(scheduler, specs, journeys, TimeZone.getTimeZone(zone));
    scheduler.getContext().put(SCHEDULES, schedules);
    scheduler.getContext().put(JDBC, jdbc);
    for (Spec spec : specs) {
      schedules.scheduleIfChanged(spec.name(), spec.description(), spec.cron(), false);
    }
    scheduler.start();
    return schedules;
  }

  private static Properties properties(String name, String provider) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.instanceId", instanceId());
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", provider);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    return p;
  }

  /** Host name plus a random part: two instances on one host (or in one JVM) stay apart in the cluster. */
  private static String instanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "siyu";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Schedules a job unless the store already has it with this cron. Replacing an unchanged trigger
   * is not harmless in a cluster: a firing another instance has already acquired would run again.
   */
  private void scheduleIfChanged(String name, String description, String cron, boolean recover) throws SchedulerException {
    Trigger now = scheduler.getTrigger(TriggerKey.triggerKey(name, GROUP));
    if (now instanceof CronTrigger c && c.getCronExpression().equals(cron) && c.getTimeZone().equals(zone)) {
      return;
    }
    schedule(name, description, cron, recover);
  }

  private void schedule(String name, String description, String cron, boolean recover) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(RunService.class).withIdentity(name, GROUP)
        .withDescription(description).usingJobData("job", name).storeDurably().requestRecovery(recover).build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, GROUP).forJob(job)
        .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(zone)
            .withMisfireHandlingInstructionFireAndProceed())
        .build();
    // replace: a changed cron in the configuration (or the journey) takes effect at once
    scheduler.scheduleJob(job, Set.of(trigger), true);
  }

  /**
   * Blocking: one job per scheduled journey, with the journey's cron; jobs of journeys that are no
   * longer scheduled are removed. A scheduled journey's job recovers: a run cut short by a crash is
   * run again (same firing, so nobody enters twice).
   */
  public void syncJourneys(List<JourneyRegistry.Entry> journeys) throws SchedulerException {
    Set<String> wanted = new java.util.HashSet<>();
    for (JourneyRegistry.Entry j : journeys) {
      if (j.trigger().type().equals("schedule") && j.trigger().cron() != null) {
        wanted.add(JOURNEY_JOB + j.key());
        scheduleIfChanged(JOURNEY_JOB + j.key(), "Journey " + j.key() + ": its segment enters", j.trigger().cron(), true);
      }
    }
    for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (key.getName().startsWith(JOURNEY_JOB) && !wanted.contains(key.getName())) {
        scheduler.deleteJob(key);
      }
    }
  }

  /** Every job with its cron, its next and previous firing, and its last recorded run. */
  public JsonArray list() throws SchedulerException {
    JsonArray list = new JsonArray();
    List<JobKey> keys = new java.util.ArrayList<>(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)));
    keys.sort(java.util.Comparator.comparing((JobKey k) -> k.getName().startsWith(JOURNEY_JOB))
        .thenComparing(k -> specs.stream().map(Spec::name).toList().indexOf(k.getName()))
        .thenComparing(JobKey::getName));
    for (JobKey key : keys) {
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(key.getName(), GROUP));
      JobDetail job = scheduler.getJobDetail(key);
      list.add(new JsonObject().put("name", key.getName())
          .put("description", job == null ? null : job.getDescription())
          .put("cron", t instanceof CronTrigger c ? c.getCronExpression() : null)
          .put("next_fire_at", instant(t == null ? null : t.getNextFireTime()))
          .put("previous_fire_at", instant(t == null ? null : t.getPreviousFireTime())));
    }
    return list;
  }

  /** Fires a job now, on whichever instance the cluster picks. */
  public void runNow(String name) throws SchedulerException {
    if (!scheduler.checkExists(JobKey.jobKey(name, GROUP))) {
      throw Problem.notFound("Schedule " + name);
    }
    scheduler.triggerJob(JobKey.jobKey(name, GROUP));
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("Quartz did not stop cleanly: {}", e.getMessage());
    }
  }

  private static String instant(Date d) {
    return d == null ? null : d.toInstant().toString();
  }

  /** The one job class: runs the named work on Quartz's thread and records the run. */
  @DisallowConcurrentExecution
  public static final class RunService implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      String name = ctx.getMergedJobDataMap().getString("job");
      Schedules schedules;
      DataSource jdbc;
      try {
        schedules = (Schedules) ctx.getScheduler().getContext().get(SCHEDULES);
        jdbc = (DataSource) ctx.getScheduler().getContext().get(JDBC);
      } catch (SchedulerException e) {
        throw new JobExecutionException(e);
      }
      Instant firing = firing(ctx);
      ScheduleRuns runs = new ScheduleRuns(jdbc);
      long run = runs.started(name, firing, instanceOf(ctx));
      try {
        Object result = schedules.workOf(name).run(firing);
        runs.finished(run, result);
        log.info("Scheduled {} done: {}", name, result);
      } catch (Exception e) {
        runs.failed(run, e);
        log.error("Scheduled {} failed", name, e);
        throw new JobExecutionException(e);
      }
    }

    /** The firing a run is for: a recovered run keeps the firing it recovers. */
    private static Instant firing(JobExecutionContext ctx) {
      String original = ctx.getMergedJobDataMap().getString(ORIGINAL_FIRING);
      if (ctx.isRecovering() && original != null) {
        return Instant.ofEpochMilli(Long.parseLong(original));
      }
      Date scheduled = ctx.getScheduledFireTime();
      return (scheduled == null ? new Date() : scheduled).toInstant();
    }

    private static String instanceOf(JobExecutionContext ctx) {
      try {
        return ctx.getScheduler().getSchedulerInstanceId();
      } catch (SchedulerException e) {
        return "unknown";
      }
    }

  }

  private Work workOf(String name) {
    if (name.startsWith(JOURNEY_JOB)) {
      String key = name.substring(JOURNEY_JOB.length());
      return at -> journeys.run(key, at);
    }
    return specs.stream().filter(s -> s.name().equals(name)).map(Spec::work).findFirst()
        .orElseThrow(() -> new IllegalStateException("no schedule " + name));
  }
}
