package io.siyu.apidocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.siyu.support.WebProject;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} and {@code /docs/api} answer without a token, cached, and the page fetches nothing from elsewhere. */
class ApiDocsTest {
  /** A script, stylesheet, image or frame loaded from another origin (an absolute or scheme-relative URL). */
  private static final Pattern EXTERNAL = Pattern.compile(
      "<(script|link|img|iframe)\\b[^>]*\\b(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE);

  private final Api anonymous = TestSiyu.anonymous();

  @Test
  void theContractIsServedAsJson() {
    Api.Reply reply = anonymous.get("/openapi.json");
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    JsonObject contract = reply.json();
    assertEquals("3.1.0", contract.getString("openapi"));
    assertEquals(ContractYaml.load(), contract, "the JSON is the YAML file, converted");
    assertTrue(contract.getJsonObject("paths").containsKey("/api/v1/contacts"));
    assertNotNull(reply.headers().get("Cache-Control"));
    assertNotModifiedWithItsETag("/openapi.json", reply);
  }

  @Test
  void theReferencePageIsServedAndLoadsNothingFromElsewhere() {
    Api.Reply reply = anonymous.get("/docs/api");
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("text/html"), reply.contentType());
    assertTrue(reply.body().contains("Siyu API"), "the page is the contract's");
    assertTrue(reply.body().contains("createToken") || reply.body().contains("Create an API token"));
    Matcher external = EXTERNAL.matcher(reply.body());
    assertFalse(external.find(), () -> "the page loads from elsewhere: " + external.group());
    assertTrue(reply.headers().get("Content-Security-Policy").contains("default-src 'none'"));
    assertNotModifiedWithItsETag("/docs/api", reply);
  }

  /** Redocly's rules (web/redocly.yaml): the structure, references, unique operation ids... */
  @Test
  void theContractPassesRedoclysLint() throws Exception {
    WebProject.Result lint = WebProject.run("lint-api");
    assertEquals(0, lint.exitCode(), lint.output());
  }

  private void assertNotModifiedWithItsETag(String path, Api.Reply first) {
    String etag = first.headers().get("ETag");
    assertNotNull(etag, path + " has no ETag");
    Api.Reply again = anonymous.send(HttpMethod.GET, path, null, null, MultiMap.caseInsensitiveMultiMap()
        .add("If-None-Match", etag));
    assertEquals(304, again.status(), path);
  }
}
