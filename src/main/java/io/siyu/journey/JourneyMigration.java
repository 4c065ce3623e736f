package io.siyu.journey;

import io.siyu.journey.step.EngineSql;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.migration.MigratingActivityInstanceValidationReport;
import org.camunda.bpm.engine.migration.MigratingProcessInstanceValidationException;
import org.camunda.bpm.engine.migration.MigrationInstructionValidationReport;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.ProcessDefinition;

/**
 * Moving a journey's running instances from one version to another, with Camunda's migration:
 * every step is mapped to the step with the same id in the new version, and timers and event
 * waits take the new version's definitions. The change "allows it" when every step an instance
 * is in still exists, as a step of the same kind, in the new version; otherwise nothing moves and
 * the answer lists each step that cannot. Every plan is checked before anything moves; then the
 * instances of each old version move in one engine transaction together with their entries'
 * version, so an instance that cannot move leaves its whole version where it was.
 */
public final class JourneyMigration {
  private static final String MOVE_ENTRIES = "UPDATE journey_entries SET version = $1 WHERE process_instance_id = ANY ($2)";

  private final JourneyEngine engine;

  JourneyMigration(JourneyEngine engine) {
    this.engine = engine;
  }

  /** Blocking: migrates the instances of {@code fromVersion} (all older ones when null) to {@code toVersion} (latest when null). */
  public JsonObject migrate(String key, Integer fromVersion, Integer toVersion) {
    ProcessDefinition target = definition(key, toVersion);
    List<ProcessDefinition> sources = engine.engine().getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey(key).list().stream()
        .filter(d -> fromVersion == null ? d.getVersion() != target.getVersion() : d.getVersion() == fromVersion).toList();
    if (fromVersion != null && sources.isEmpty()) {
      throw Problem.notFound("Version " + fromVersion + " of journey " + key);
    }
    if (fromVersion != null && fromVersion == target.getVersion()) {
      throw Problem.invalid("from_version", "is the version the instances would move to");
    }
    RuntimeService runtime = engine.engine().getRuntimeService();
    List<MigrationPlan> plans = sources.stream().map(source -> plan(source, target)).toList();
    JsonArray versions = new JsonArray();
    int moved = 0;
    for (int i = 0; i < sources.size(); i++) {
      List<String> ids = runtime.createProcessInstanceQuery().processDefinitionId(sources.get(i).getId()).list().stream()
          .map(pi -> pi.getId()).toList();
      if (ids.isEmpty()) {
        continue;
      }
      MigrationPlan plan = plans.get(i);
      int version = sources.get(i).getVersion();
      try {
        moved += engine.inTransaction(ctx -> move(plan, ids, version, target.getVersion()));
      } catch (Problem p) {
        p.extensions().put("migrated", moved).put("by_version", versions);
        throw p;
      }
      versions.add(new JsonObject().put("from_version", version).put("instances", ids.size()));
    }
    return new JsonObject().put("journey", key).put("to_version", target.getVersion()).put("migrated", moved)
        .put("by_version", versions);
  }

  private ProcessDefinition definition(String key, Integer version) {
    var query = engine.engine().getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key);
    ProcessDefinition d = version == null ? query.latestVersion().singleResult() : query.processDefinitionVersion(version).singleResult();
    if (d == null) {
      throw Problem.notFound(version == null ? "Journey " + key : "Version " + version + " of journey " + key);
    }
    return d;
  }

  private MigrationPlan plan(ProcessDefinition source, ProcessDefinition target) {
    try {
      return engine.engine().getRuntimeService().createMigrationPlan(source.getId(), target.getId())
          .mapEqualActivities().updateEventTriggers().build();
    } catch (MigrationPlanValidationException e) {
      List<JsonObject> problems = new ArrayList<>();
      for (MigrationInstructionValidationReport r : e.getValidationReport().getInstructionReports()) {
        r.getFailures().forEach(f -> problems.add(Trigger.problem(r.getMigrationInstruction().getSourceActivityId(), f)));
      }
      throw notAllowed(source.getVersion(), problems);
    }
  }

  private int move(MigrationPlan plan, List<String> ids, int fromVersion, int toVersion) {
    try {
      engine.engine().getRuntimeService().newMigration(plan).processInstanceIds(ids).execute();
    } catch (MigratingProcessInstanceValidationException e) {
      List<JsonObject> problems = new ArrayList<>();
      e.getValidationReport().getFailures().forEach(f -> problems.add(Trigger.problem("(instance)", f)));
      for (MigratingActivityInstanceValidationReport r : e.getValidationReport().getActivityInstanceReports()) {
        r.getFailures().forEach(f -> problems.add(Trigger.problem(r.getSourceScopeId(), f)));
      }
      throw notAllowed(fromVersion, problems);
    }
    EngineSql.update(MOVE_ENTRIES, toVersion,
        ids.toArray(String[]::new));
    return ids.size();
  }

  private static Problem notAllowed(int version, List<JsonObject> problems) {
    return new Problem(422, "migration-not-possible", "Migration not possible", "Instances of version " + version
        + " cannot move to the new version; none of them was migrated", new JsonObject().put("problems", new JsonArray(problems)));
  }
}
