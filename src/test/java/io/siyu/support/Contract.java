package io.siyu.support;

import io.siyu.apidocs.ContractYaml;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API contract ({@code src/main/resources/openapi.yaml}) as the tests hold the server to it:
 * every JSON body {@link Api} sends to {@code /api/v1} is checked against its operation's request
 * schema with Vert.x's own validator ({@code vertx-openapi}). A body the server accepted (2xx) that
 * the contract refuses fails the test: the contract is wrong, or the server took what it should not.
 * A body both refuse is a test of a refusal; a body only the server refuses is counted (the
 * contract cannot say everything: uniqueness, references, a filter's field types). A body sent to
 * an operation that takes none (an action such as pause) is ignored by the server, and here.
 * The JSON answers (2xx) are held to the response schemas too: an answer the contract refuses
 * fails the test. What was checked is written to {@code target/contract-checks.txt}
 * when the JVM ends.
 */
public final class Contract {
  private static final Path REPORT = Path.of("target/contract-checks.txt");
  private static Contract instance;

  private final OpenAPIContract contract;
  private final Map<String, AtomicInteger> checked = new TreeMap<>();
  private final Map<String, AtomicInteger> refusedByBoth = new TreeMap<>();
  private final Map<String, AtomicInteger> refusedByServerOnly = new TreeMap<>();
  private final Map<String, AtomicInteger> ignored = new TreeMap<>();
  private final Map<String, AtomicInteger> answers = new TreeMap<>();
  private final java.util.Set<String> answerProblems = new java.util.TreeSet<>();

  private Contract(OpenAPIContract contract) {
    this.contract = contract;
  }

  /** The contract, read once per test run. */
  public static synchronized Contract get() {
    if (instance == null) {
      Vertx vertx = Vertx.vertx();
      try {
        instance = new Contract(OpenAPIContract.from(vertx, validatable(ContractYaml.load()))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new AssertionError("openapi.yaml is not a contract vertx-openapi can read: " + e.getMessage(), e);
      } finally {
        vertx.close();
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::report));
    }
    return instance;
  }

  /** The Vert.x view of the contract: its operations and their schemas, read and resolved. */
  public OpenAPIContract openApi() {
    return contract;
  }

  /**
   * vertx-openapi reads JSON, multipart, text and octet-stream bodies only, and refuses a contract
   * naming any other media type; the others (CSV and NDJSON uploads, BPMN XML, HTML pages, problem
   * documents) are left out of its copy. The JSON bodies it checks are all there.
   */
  static JsonObject validatable(JsonObject raw) {
    JsonObject copy = raw.copy();
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (!(op.getValue() instanceof JsonObject operation) || !operation.containsKey("responses")) {
        return;
      }
      JsonObject body = operation.getJsonObject("requestBody");
      if (body != null && onlySupported(body.getJsonObject("content")).isEmpty()) {
        operation.remove("requestBody");
      }
      operation.getJsonObject("responses").forEach(r -> {
        if (r.getValue() instanceof JsonObject response && response.containsKey("content")) {
          onlySupported(response.getJsonObject("content"));
        }
      });
    }));
    copy.getJsonObject("components").getJsonObject("responses").forEach(r ->
        onlySupported(((JsonObject) r.getValue()).getJsonObject("content", new JsonObject())));
    return copy;
  }

  private static JsonObject onlySupported(JsonObject content) {
    content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
    return content;
  }

  /** Called by {@link Api} after each request; throws an AssertionError when the contract and the server disagree. */
  synchronized void check(HttpMethod method, String uri, String contentType, Buffer body, Api.Reply reply) {
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    if (!path.startsWith("/api/v1/")) {
      return;
    }
    Operation op = contract.findOperation(path, method);
    boolean accepted = reply.status() >= 200 && reply.status() < 300;
    if (op == null) {
      if (accepted) {
        throw new AssertionError(method + " " + path + " answered " + reply.status() + " but is not in openapi.yaml");
      }
      return;
    }
    Object json = isJson(contentType) ? json(body) : null;
    if (json != null) {
      checkRequest(op, method + " " + path, json, reply.status());
    }
    if (accepted && isJson(reply.contentType())) {
      checkAnswer(op, method + " " + path, reply);
    }
  }

  private void checkRequest(Operation op, String call, Object json, int status) {
    String name = op.getOperationId();
    if (op.getRequestBody() == null) {
      count(ignored, name); // an action without a body (pause, expire...) reads none: what is sent is ignored
      return;
    }
    MediaType media = op.getRequestBody().determineContentType("application/json");
    String problem = media == null ? "the operation takes no JSON body" : problem(media, json);
    count(checked, name);
    boolean accepted = status >= 200 && status < 300;
    if (problem == null) {
      if (status >= 400 && status < 500) {
        count(refusedByServerOnly, name);
      }
      return;
    }
    if (accepted) {
      throw new AssertionError(call + " answered " + status + ", but its body does not match the request schema of "
          + name + " in openapi.yaml: " + problem + "\nbody: " + json);
    }
    count(refusedByBoth, name);
  }

  /**
   * The answer against the operation's response schema for its status: a mismatch fails the test
   * (the contract is what the console will take its types from), and is listed in the report.
   */
  private void checkAnswer(Operation op, String call, Api.Reply reply) {
    io.vertx.openapi.contract.Response response = op.getResponse(reply.status());
    MediaType media = response == null ? null : response.getContent().get("application/json");
    Object json = json(Buffer.buffer(reply.body()));
    String problem = response == null ? "the contract names no " + reply.status() + " answer"
        : media == null ? "the contract names no JSON answer" : json == null ? "the answer is not JSON" : problem(media, json);
    count(answers, op.getOperationId());
    if (problem != null) {
      // one line per operation, status and problem (item numbers left out), however many calls showed it
      answerProblems.add(op.getOperationId() + " " + reply.status() + ": " + problem.replaceAll("/\\d+(?=[/:])", "/n")
          + "\n  e.g. " + call);
      throw new AssertionError(call + " answered " + reply.status() + " with JSON its response schema in openapi.yaml refuses: "
          + problem + "\n" + reply.body());
    }
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase().startsWith("application/json");
  }

  /** The body as JSON; null when it is not (a test of malformed JSON: the server's 400 is the check). */
  private static Object json(Buffer body) {
    if (body == null) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
  }

  /** What is wrong with {@code json} as a body of {@code media}; null when it fits. */
  private String problem(MediaType media, Object json) {
    if (media.getSchema() == null) {
      return null;
    }
    OutputUnit result = contract.getSchemaRepository().validator(media.getSchema()).validate(json);
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    StringBuilder why = new StringBuilder();
    if (result.getErrors() != null) {
      result.getErrors().forEach(e -> why.append("\n  at ").append(e.getInstanceLocation()).append(": ")
          .append(e.getError()).append(" (").append(e.getKeywordLocation()).append(')'));
    }
    return why.length() == 0 ? String.valueOf(result.getError()) : why.toString();
  }

  private static void count(Map<String, AtomicInteger> counts, String name) {
    counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Request bodies checked so far. */
  public synchronized int checkedCount() {
    return checked.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private synchronized void report() {
    StringBuilder out = new StringBuilder("JSON request bodies checked against openapi.yaml: " + checkedCount()
        + "\noperation\tchecked\trefused by both\trefused by the server only\n");
    checked.forEach((name, n) -> out.append(name).append('\t').append(n).append('\t')
        .append(refusedByBoth.getOrDefault(name, new AtomicInteger()).get()).append('\t')
        .append(refusedByServerOnly.getOrDefault(name, new AtomicInteger()).get()).append('\n'));
    ignored.forEach((name, n) -> out.append(name).append("\ttakes no body: ").append(n).append(" sent and ignored\n"));
    out.append("\nJSON answers (2xx) checked against the response schemas: ")
        .append(answers.values().stream().mapToInt(AtomicInteger::get).sum()).append(", of ").append(answers.size())
        .append(" operations; mismatches: ").append(answerProblems.size()).append('\n');
    answerProblems.forEach(p -> out.append(p).append('\n'));
    out.append("answers checked by operation: ").append(answers).append('\n');
    try {
      Files.createDirectories(REPORT.getParent());
      Files.writeString(REPORT, out);
    } catch (IOException e) {
      System.err.println(out);
    }
  }
}
