package io.siyu.apidocs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API contract, {@code openapi.yaml} on the class path, read as JSON. YAML is what people
 * review; JSON is what tools (the web console's type generator, validators) read.
 */
public final class ContractYaml {
  /** Where the contract sits on the class path (src/main/resources). */
  public static final String RESOURCE = "openapi.yaml";

  private ContractYaml() {}

  /** The contract as JSON; fails when it is missing or holds what JSON cannot (see {@link #json}). */
  public static JsonObject load() {
    try (InputStream in = ContractYaml.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return (JsonObject) json(new Yaml(new SafeConstructor(new LoaderOptions())).load(in), "$");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A YAML value as JSON. Keys become strings (an unquoted status code such as {@code 200} is read
   * as a number). A YAML timestamp ({@code 2026-11-01} unquoted) has no JSON form that keeps its
   * text, so it is refused with its place: quote it in the file.
   */
  static Object json(Object yaml, String at) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.put(String.valueOf(k), json(v, at + "." + k)));
      return o;
    }
    if (yaml instanceof List<?> list) {
      JsonArray a = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        a.add(json(list.get(i), at + "[" + i + "]"));
      }
      return a;
    }
    if (yaml instanceof java.util.Date || yaml instanceof byte[]) {
      throw new IllegalStateException(RESOURCE + " at " + at + ": quote this value, JSON has no "
          + (yaml instanceof byte[] ? "binary" : "date") + " type");
    }
    return yaml;
  }
}
