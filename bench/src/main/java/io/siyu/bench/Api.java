package io.siyu.bench;

import static io.siyu.bench.Out.JSON;
import static io.siyu.bench.Out.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The API calls the scenarios make, with the bearer token and problem+json errors surfaced. */
final class Api {
  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder()
      // plain HTTP/1.1: no h2c upgrade dance in the measured requests
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  Api(Server server) {
    this.base = server.baseUrl();
    this.token = server.token();
  }

  JsonNode get(String path) {
    return send(request(path).GET().timeout(Duration.ofSeconds(30)).build(), 200);
  }

  JsonNode post(String path, String body, int expected) {
    return post(path, body, expected, Duration.ofSeconds(120));
  }

  /** For the few calls that do a lot of work in one request, like the recompute over a million contacts. */
  JsonNode post(String path, String body, int expected, Duration timeout) {
    return send(request(path).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), expected);
  }

  /** A journey upload: the BPMN file is the body. */
  JsonNode postXml(String path, String xml, int expected) {
    return send(request(path).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/xml")
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), expected);
  }

  /** Streams the file from disk: the harness never holds the upload in memory. */
  JsonNode upload(Path csv) throws IOException {
    return send(request("/api/v1/imports").timeout(Duration.ofMinutes(30))
        .header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), 202);
  }

  /** Declares a custom attribute; 409 means an earlier run against this database already did. */
  void ensureAttribute(String key, String type) {
    HttpResponse<String> r = exchange(request("/api/v1/attributes").timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("key", key, "type", type)))).build());
    if (r.statusCode() != 201 && r.statusCode() != 409) {
      throw unexpected(r, 201);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest req, int expected) {
    HttpResponse<String> r = exchange(req);
    if (r.statusCode() != expected) {
      throw unexpected(r, expected);
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new BenchFailure(req.method() + " " + req.uri().getPath() + " answered unparsable JSON: " + r.body());
    }
  }

  private HttpResponse<String> exchange(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BenchFailure(req.method() + " " + req.uri() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure("interrupted");
    }
  }

  private static BenchFailure unexpected(HttpResponse<String> r, int expected) {
    String body = r.body() == null ? "" : r.body();
    if (body.length() > 2000) {
      body = body.substring(0, 2000) + "...";
    }
    return new BenchFailure(String.format(Locale.ROOT, "%s %s answered %d (expected %d): %s",
        r.request().method(), r.request().uri().getPath(), r.statusCode(), expected, body));
  }
}
