package io.siyu.schedule;

import io.siyu.app.Services;
import io.siyu.web.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
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
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled work of Siyu on Quartz, with its clustered JDBC job store in Siyu's own database:
 * however many instances run, each firing happens on one of them. Jobs run on Quartz's threads
 * and wait there for the (non-blocking) service they call, so the event loop never waits.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String SERVICES = "siyu.services";
  private static final String GROUP = "siyu";

  /** One scheduled job: its name, its cron, and what it runs. */
  private record Spec(String name, String cron, String description, Function<Services, Future<?>> work) {}

  private final Scheduler scheduler;
  private final List<Spec> specs;

  private Schedules(Scheduler scheduler, List<Spec> specs) {
    this.scheduler = scheduler;
    this.specs = specs;
  }

  /** Blocking: starts Quartz over {@code jdbc} and (re)schedules every job with the configured cron. */
  public static Schedules start(DataSource jdbc, Services services, String schedulerName, String zone,
      String recomputeCron, String tierReviewCron) throws SchedulerException {
    List<Spec> specs = List.of(
        new Spec("loyalty-recompute", recomputeCron, "Lifecycle stages, RFM classes, points and rights expiry",
            s -> s.recompute().run()),
        new Spec("tier-review", tierReviewCron, "Tiers kept by the last 12 months of growth", s -> s.growth().review()));
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
    scheduler.getContext().put(SERVICES, services);
    Schedules schedules = new Schedules(scheduler, specs);
    for (Spec spec : specs) {
      schedules.schedule(spec, TimeZone.getTimeZone(zone));
    }
    scheduler.start();
    return schedules;
  }

  private static Properties properties(String name, String provider) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", name);
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
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

  private void schedule(Spec spec, TimeZone zone) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(RunService.class).withIdentity(spec.name(), GROUP)
        .withDescription(spec.description()).usingJobData("job", spec.name()).storeDurably().build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(spec.name(), GROUP).forJob(job)
        .withSchedule(CronScheduleBuilder.cronSchedule(spec.cron()).inTimeZone(zone)
            .withMisfireHandlingInstructionFireAndProceed())
        .build();
    // replace: a changed cron in the configuration takes effect at the next start
    scheduler.scheduleJob(job, Set.of(trigger), true);
  }

  /** Every job with its cron and its next and previous firing. */
  public JsonArray list() throws SchedulerException {
    JsonArray list = new JsonArray();
    for (Spec spec : specs) {
      Trigger t = scheduler.getTrigger(org.quartz.TriggerKey.triggerKey(spec.name(), GROUP));
      list.add(new JsonObject().put("name", spec.name()).put("description", spec.description())
          .put("cron", spec.cron())
          .put("next_fire_at", instant(t == null ? null : t.getNextFireTime()))
          .put("previous_fire_at", instant(t == null ? null : t.getPreviousFireTime())));
    }
    return list;
  }

  /** Fires a job now, on whichever instance the cluster picks. */
  public void runNow(String name) throws SchedulerException {
    if (specs.stream().noneMatch(s -> s.name().equals(name))) {
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

  /** The one job class: runs the named service and waits for it on Quartz's thread. */
  @DisallowConcurrentExecution
  public static final class RunService implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      String name = ctx.getMergedJobDataMap().getString("job");
      try {
        Services services = (Services) ctx.getScheduler().getContext().get(SERVICES);
        Spec spec = specOf(services, name);
        Object result = spec.work().apply(services).toCompletionStage().toCompletableFuture().get(6, TimeUnit.HOURS);
        log.info("Scheduled {} done: {}", name, result);
      } catch (Exception e) {
        log.error("Scheduled {} failed", name, e);
        throw new JobExecutionException(e);
      }
    }

    private static Spec specOf(Services services, String name) {
      return services.schedules().specs.stream().filter(s -> s.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no schedule " + name));
    }
  }
}
