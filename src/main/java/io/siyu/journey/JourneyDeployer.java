package io.siyu.journey;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.ResourceReport;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys journey files: every {@code .bpmn} in the journeys directory at start, and uploads
 * through the API. A file is checked and completed first ({@link JourneyFile}); the engine's own
 * parse errors are reported the same way. An unchanged file creates no new version (the engine
 * compares it with the last deployment of the same journey).
 */
public final class JourneyDeployer {
  private static final Logger log = LoggerFactory.getLogger(JourneyDeployer.class);
  private final JourneyEngine engine;
  private final JourneyRegistry registry;
  private final JourneyReferences references;
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public JourneyDeployer(JourneyEngine engine, JourneyRegistry registry, DataSource jdbc) {
    this.engine = engine;
    this.registry = registry;
    this.references = new JourneyReferences(jdbc);
  }

  /** Runs {@code listener} (blocking is fine) after each deployment is recorded, e.g. to reschedule scheduled journeys. */
  public void onDeployed(Runnable listener) {
    listeners.add(listener);
  }

  /** Blocking: deploys every journey file in {@code dir}; a bad file stops the start with its problems. */
  public void deployDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      log.warn("No journeys directory at {}: no journeys deployed at start", dir.toAbsolutePath());
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList()) {
        JsonObject result;
        try {
          result = deploy(Files.readString(f, StandardCharsets.UTF_8));
        } catch (Problem p) {
          throw new IllegalStateException("Journey file " + f.getFileName() + " was not deployed: "
              + p.toJson().getJsonArray("problems", new JsonArray()).encode(), p);
        }
        log.info("Journey {} from {}: version {}{}", result.getString("key"), f.getFileName(), result.getInteger("version"),
            result.getBoolean("changed") ? "" : " (unchanged)");
      }
    }
  }

  /** Blocking: checks and deploys one file; a 422 problem lists every element and what is wrong with it. */
  public JsonObject deploy(String xml) {
    JourneyFile.Journey j = checked(xml);
    RepositoryService repository = engine.engine().getRepositoryService();
    ProcessDefinition before = latest(j.key());
    try {
      repository.createDeployment().name(j.key()).source("siyu")
          .addString(j.key() + ".bpmn", j.xml())
          .enableDuplicateFiltering(false) // filter duplicates (the flag is "deploy changed resources only")
          .deploy();
    } catch (ParseException e) {
      throw invalid(problems(e));
    }
    ProcessDefinition now = latest(j.key());
    try {
      registry.record(j, now.getVersion());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    listeners.forEach(Runnable::run);
    return new JsonObject().put("key", j.key()).put("name", j.name()).put("version", now.getVersion())
        .put("changed", before == null || !before.getId().equals(now.getId()))
        .put("trigger", j.trigger().toJson()).put("reentry", j.trigger().reentry().name().toLowerCase(java.util.Locale.ROOT))
        .put("listens", new JsonArray(new ArrayList<>(j.listens())));
  }

  /**
   * Blocking: every check {@link #deploy} makes — the palette and allow-list, the names that must
   * exist, the engine's own parse with its schema and {@code EngineGuard} — with nothing deployed
   * and no version made. Answers the journey the file would deploy as; a 422 problem as deploy's.
   */
  public JourneyFile.Journey validate(String xml) {
    JourneyFile.Journey j = checked(xml);
    try {
      engine.parse(j.key() + ".bpmn", j.xml());
    } catch (ParseException e) {
      throw invalid(problems(e));
    }
    return j;
  }

  /** The file checked and completed, and the names it uses found: the journey, or a 422 listing every problem. */
  private JourneyFile.Journey checked(String xml) {
    JourneyFile.Checked checked = JourneyFile.check(xml);
    if (!checked.ok()) {
      throw invalid(checked.problems());
    }
    JourneyFile.Journey j = checked.journey();
    List<JsonObject> missing;
    try {
      missing = references.missing(j.references());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    if (!missing.isEmpty()) {
      throw invalid(missing);
    }
    return j;
  }

  /**
   * Blocking, at start (before timers run): every active version the engine holds is checked
   * again as if it were uploaded now, so a file deployed before a rule was added, or put into the
   * engine some other way, cannot run. A refused version is suspended with its instances and
   * noted on its journey (which is suspended when it was the latest); answers how many were.
   */
  public int recheckDeployed() {
    RepositoryService repository = engine.engine().getRepositoryService();
    int refused = 0;
    for (ProcessDefinition d : repository.createProcessDefinitionQuery().active().list()) {
      List<JsonObject> problems = JourneyFile.check(processModel(repository, d)).problems();
      if (problems.isEmpty()) {
        continue;
      }
      refused++;
      repository.suspendProcessDefinitionById(d.getId(), true, null);
      boolean latest = latest(d.getKey()).getVersion() == d.getVersion();
      try {
        registry.refused(d.getKey(), d.getVersion(), latest, problems);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      log.error("Journey {} version {} holds what journeys may not, so it and its instances are suspended{}: {}",
          d.getKey(), d.getVersion(), latest ? " (the journey takes no entries until a corrected file is deployed)" : "",
          new JsonArray(problems).encode());
    }
    return refused;
  }

  private static String processModel(RepositoryService repository, ProcessDefinition d) {
    try (var in = repository.getProcessModel(d.getId())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ProcessDefinition latest(String key) {
    return engine.engine().getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key)
        .latestVersion().singleResult();
  }

  private static List<JsonObject> problems(ParseException e) {
    List<JsonObject> out = new ArrayList<>();
    for (ResourceReport report : e.getResorceReports()) {
      report.getErrors().forEach(p -> out.add(Trigger.problem(elementOf(p), p.getMessage())));
    }
    if (out.isEmpty()) {
      out.add(Trigger.problem("(file)", e.getMessage()));
    }
    return out;
  }

  /** The element a problem of the engine's parse is about: its main element, else the first it names, else the file. */
  private static String elementOf(org.camunda.bpm.engine.Problem p) {
    if (p.getMainElementId() != null) {
      return p.getMainElementId();
    }
    return p.getElementIds() == null || p.getElementIds().isEmpty() ? "(file)" : p.getElementIds().get(0);
  }

  static Problem invalid(List<JsonObject> problems) {
    return new Problem(422, "invalid-journey", "Invalid journey",
        "The journey was not deployed: " + problems.size() + " problem(s)", new JsonObject().put("problems", new JsonArray(problems)));
  }
}
