package io.siyu.journey;

import io.siyu.problem.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Documentation;
import org.camunda.bpm.model.bpmn.instance.Process;

/**
 * The journeys shipped in {@code bpmn/}, which the build also copies into the jar under
 * {@value #FOLDER}, so the console can start a journey from one wherever Siyu runs (the journeys
 * directory of {@code SIYU_JOURNEYS_DIR} may hold other files, or none). A sample's name is its file
 * name without {@code .bpmn}, its title the process name, its description the process's
 * documentation. Read once, at start.
 */
public final class JourneySamples {
  static final String FOLDER = "journeys/samples";

  /** One shipped journey. */
  record Sample(String name, String title, String description, String xml) {}

  private final Map<String, Sample> byName;

  private JourneySamples(Map<String, Sample> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** Blocking: reads the samples from the jar (or the classes directory) this class was loaded from. */
  public static JourneySamples load() {
    Path codeSource;
    try {
      codeSource = Path.of(JourneySamples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try {
      if (Files.isDirectory(codeSource)) {
        return read(codeSource.resolve(FOLDER));
      }
      try (FileSystem jar = FileSystems.newFileSystem(codeSource)) {
        return read(jar.getPath(FOLDER));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JourneySamples read(Path folder) throws IOException {
    Map<String, Sample> samples = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return new JourneySamples(samples);
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".bpmn")).toList()) {
        String file = f.getFileName().toString();
        Sample s = sample(file.substring(0, file.length() - ".bpmn".length()), Files.readString(f, StandardCharsets.UTF_8));
        samples.put(s.name(), s);
      }
    }
    return new JourneySamples(samples);
  }

  private static Sample sample(String name, String xml) {
    Process process = Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
        .getModelElementsByType(Process.class).iterator().next();
    String title = process.getName() == null || process.getName().isBlank() ? process.getId() : process.getName();
    String description = process.getDocumentations().stream().map(Documentation::getTextContent).map(String::strip)
        .collect(Collectors.joining("\n"));
    return new Sample(name, title, description, xml);
  }

  /** {@code {items: [{name, title, description}]}}, by name. */
  public JsonObject list() {
    JsonArray items = new JsonArray();
    byName.values().forEach(s -> items.add(new JsonObject().put("name", s.name()).put("title", s.title())
        .put("description", s.description())));
    return new JsonObject().put("items", items);
  }

  /** The file of the sample {@code name}, or a 404 problem. */
  public String xml(String name) {
    Sample s = byName.get(name);
    if (s == null) {
      throw Problem.notFound("Journey sample " + name);
    }
    return s.xml();
  }
}
