package io.siyu.journey;

import io.siyu.contact.ContactService;
import io.siyu.event.EventService;
import io.siyu.journey.palette.AwardGrowth;
import io.siyu.journey.palette.AwardPoints;
import io.siyu.journey.palette.ContactUpdate;
import io.siyu.journey.palette.GoalReached;
import io.siyu.journey.palette.GrantRight;
import io.siyu.journey.palette.SendMessage;
import io.siyu.journey.palette.TagTask;
import io.siyu.journey.step.Journeys;
import io.siyu.loyalty.points.PointsService;
import io.siyu.segment.SegmentService;
import io.siyu.tag.TagService;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

/**
 * Journeys, assembled: the engine with the palette as its beans, the registry, deployment, entry,
 * the inbox that hands events to journeys, and the queries behind the API.
 */
public final class JourneyFeature implements AutoCloseable {
  /** What journeys need from the configuration. */
  public record Settings(Path dir, String engineName, long acquisitionMaxWaitMillis, long inboxPollMillis,
      int inboxWorkers, SendWindow.Window sendWindow, boolean jobExecutor, String defaultChannel, String birthdayScanCron,
      String segmentScanCron) {}

  /** The services palette tasks act through. */
  public record PaletteServices(TagService tags, PointsService points, EventService events,
      ContactService contacts, Runnable wakeDispatcher) {}

  private final JourneyEngine engine;
  private final JourneyRegistry registry;
  private final JourneyDeployer deployer;
  private final JourneyEntries entries;
  private final JourneyInbox inbox;
  private final BirthdayScan birthdayScan;
  private final SegmentScan segmentScan;
  private final ScheduledEntry scheduledEntry;
  private final JourneyMigration migration;
  private final JourneySamples samples;
  private final Settings settings;

  /** Blocking: starts the engine, deploys the journeys directory and starts the inbox. */
  public JourneyFeature(Vertx vertx, DataSource jdbc, Pool pool, SegmentService segments, Settings settings,
      PaletteServices s) throws IOException {
    this.settings = settings;
    Contacts contacts = new Contacts();
    Map<Object, Object> beans = new HashMap<>();
    beans.put("sendMessage", new SendMessage(s.wakeDispatcher(), settings.defaultChannel()));
    beans.put("addTag", new TagTask(s.tags(), true));
    beans.put("removeTag", new TagTask(s.tags(), false));
    beans.put("grantRight", new GrantRight());
    beans.put("awardPoints", new AwardPoints(s.points()));
    beans.put("awardGrowth", new AwardGrowth(s.events()));
    beans.put("setAttribute", new ContactUpdate(s.contacts(), false));
    beans.put("setLifecycleStage", new ContactUpdate(s.contacts(), true));
    beans.put("goalReached", new GoalReached());
    beans.put("sendWindow", new SendWindow(settings.sendWindow(), contacts));
    engine = new JourneyEngine(jdbc, settings.engineName(), beans, List.of(SendWindow.CALL), List.of(new GatewayListeners(contacts)),
        settings.acquisitionMaxWaitMillis(), settings.jobExecutor());
    registry = new JourneyRegistry(jdbc);
    deployer = new JourneyDeployer(engine, registry, jdbc);
    entries = new JourneyEntries(engine);
    inbox = new JourneyInbox(vertx, jdbc, engine, registry, entries, settings.inboxPollMillis(), settings.inboxWorkers());
    birthdayScan = new BirthdayScan(jdbc, registry, entries);
    segmentScan = new SegmentScan(pool, segments, registry, entries);
    scheduledEntry = new ScheduledEntry(pool, segments, registry, entries);
    migration = new JourneyMigration(engine);
    samples = JourneySamples.load();
    try {
      deployer.recheckDeployed();
      deployer.deployDirectory(settings.dir());
      engine.startJobExecutor();
    } catch (RuntimeException | IOException e) {
      engine.close(); // its job executor would otherwise outlive the failed start
      throw e;
    }
  }

  public JourneyEngine engine() { return engine; }
  public JourneyRegistry registry() { return registry; }
  public JourneyDeployer deployer() { return deployer; }
  public JourneyEntries entries() { return entries; }
  public JourneyInbox inbox() { return inbox; }
  public BirthdayScan birthdayScan() { return birthdayScan; }
  public SegmentScan segmentScan() { return segmentScan; }
  public ScheduledEntry scheduledEntry() { return scheduledEntry; }
  public JourneyMigration migration() { return migration; }
  public JourneySamples samples() { return samples; }

  /**
   * Blocking: while the database is away, the inbox and the engine's job executor rest. Both would
   * fail at every turn, and the job executor logs each failed acquisition with its stack trace.
   */
  public void pause() {
    inbox.stop();
    JobExecutor jobs = jobExecutor();
    if (jobs.isActive()) {
      jobs.shutdown(); // waits for the jobs it runs: they fail at once without a database
    }
  }

  /** Blocking: what {@link #pause} stopped starts again. */
  public void resume() {
    if (settings.jobExecutor()) {
      jobExecutor().start();
    }
    inbox.start();
  }

  private JobExecutor jobExecutor() {
    return ((ProcessEngineImpl) engine.engine()).getProcessEngineConfiguration().getJobExecutor();
  }

  @Override
  public void close() {
    // the application has stopped the inbox already; a drain still under way would find the engine gone
    io.siyu.async.Blocking.await(inbox.stop(), 35);
    engine.close();
  }
}
