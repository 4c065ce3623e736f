package io.siyu.journey;

import io.siyu.journey.check.EngineGuard;
import io.siyu.journey.check.SafeExpressionManager;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.bpmn.deployer.BpmnDeployer;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;

/**
 * The embedded Camunda 7 engine, on Siyu's own database (tables from migration V9; the engine
 * never changes the schema). Its job executor runs timers and asynchronous steps on its own
 * threads; every other engine call is made from a Vert.x worker, never the event loop. Its
 * expressions cannot reach reflection ({@link SafeExpressionManager}: only {@code calls} and the
 * condition language's tests can be called), it compiles no scripts, and it refuses to parse any
 * element the palette does not write ({@link EngineGuard}).
 */
public final class JourneyEngine implements AutoCloseable {
  private final StandaloneProcessEngineConfiguration configuration;
  private final ProcessEngine engine;
  private final boolean jobExecutor;

  /** Blocking: builds and starts the engine (about three seconds). */
  public JourneyEngine(DataSource jdbc, String name, Map<Object, Object> beans, List<SafeExpressionManager.AllowedCall<?>> calls,
      List<BpmnParseListener> listeners, long acquisitionMaxWaitMillis, boolean jobExecutor) {
    configuration = configuration(jdbc, name, beans, acquisitionMaxWaitMillis, jobExecutor);
    configuration.setExpressionManager(new SafeExpressionManager(beans, calls));
    configuration.setScriptFactory(EngineGuard.noScripts());
    configuration.setCustomPreBPMNParseListeners(listeners);
    configuration.setCustomPostBPMNParseListeners(new java.util.ArrayList<>(List.of(new EngineGuard())));
    // timers wait until the deployed journeys have been checked again (startJobExecutor)
    configuration.setJobExecutorActivate(false);
    this.jobExecutor = jobExecutor;
    engine = configuration.buildProcessEngine();
  }

  /** Starts running timers and asynchronous steps, when this instance is configured to. */
  public void startJobExecutor() {
    if (jobExecutor) {
      configuration.getJobExecutor().start();
    }
  }

  /**
   * Siyu's engine settings, unbuilt. Public so the benchmark's bare engine is set up exactly like
   * Siyu's (it only lets the engine create its own tables, in a database of its own).
   */
  public static StandaloneProcessEngineConfiguration configuration(DataSource jdbc, String name, Map<Object, Object> beans,
      long acquisitionMaxWaitMillis, boolean jobExecutor) {
    StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
    configuration.setProcessEngineName(name);
    configuration.setDataSource(jdbc);
    configuration.setTransactionsExternallyManaged(false);
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_FALSE);
    configuration.setDatabaseType("postgres");
    // activity history is what funnels read (which nodes were reached, which are waited in)
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_ACTIVITY);
    // finished instances stay in history (and in funnels) for a year
    configuration.setHistoryTimeToLive("P365D");
    configuration.setDbIdentityUsed(false);
    configuration.setCmmnEnabled(false);
    configuration.setDmnEnabled(false);
    configuration.setAuthorizationEnabled(false);
    configuration.setMetricsEnabled(false);
    // ids from UUIDs, not from a shared counter row that several instances would fight over
    configuration.setIdGenerator(new StrongUuidGenerator());
    configuration.setBeans(beans);
    configuration.setJobExecutorActivate(jobExecutor);
    configuration.setJobExecutor(jobExecutor(acquisitionMaxWaitMillis));
    // retry a failed step three times, a minute apart, before it becomes an incident
    configuration.setFailedJobRetryTimeCycle("R3/PT1M");
    return configuration;
  }

  /**
   * The default acquisition sleeps up to a minute when idle, so a due timer could wait that long:
   * the cap here keeps waits in journeys within about {@code maxWaitMillis} of their due time.
   */
  private static DefaultJobExecutor jobExecutor(long maxWaitMillis) {
    DefaultJobExecutor executor = new DefaultJobExecutor();
    executor.setWaitTimeInMillis((int) Math.min(100, maxWaitMillis));
    executor.setMaxWait(maxWaitMillis);
    executor.setMaxJobsPerAcquisition(10);
    executor.setCorePoolSize(3);
    executor.setMaxPoolSize(8);
    return executor;
  }

  public ProcessEngine engine() {
    return engine;
  }

  /** Runs {@code command} in one engine transaction: Siyu's SQL on its connection commits with the engine's. */
  public <T> T inTransaction(Command<T> command) {
    return configuration.getCommandExecutorTxRequired().execute(command);
  }

  /**
   * Blocking: parses {@code xml} as a deployment of it would — the BPMN schema, the engine's own
   * rules, the parse listeners ({@link EngineGuard} among them) — inside an engine command that
   * writes nothing, so no deployment or version is made. Throws the engine's
   * {@link org.camunda.bpm.engine.ParseException} with every problem it found.
   */
  public void parse(String resourceName, String xml) {
    BpmnParser parser = configuration.getDeployers().stream().filter(BpmnDeployer.class::isInstance)
        .map(d -> ((BpmnDeployer) d).getBpmnParser()).findFirst()
        .orElseThrow(() -> new IllegalStateException("the engine has no BPMN deployer"));
    inTransaction(context -> {
      DeploymentEntity deployment = new DeploymentEntity();
      deployment.setName(resourceName);
      parser.createParse().sourceString(xml).deployment(deployment).name(resourceName).execute();
      return null;
    });
  }

  @Override
  public void close() {
    engine.close();
  }
}
