package io.siyu.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.TestSiyu;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The console over real HTTP (the JDK's client: it neither follows redirects nor unzips, so each
 * answer is seen as sent): deep links, caching, compression and the security headers.
 */
class ConsoleTest {
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/console/assets/[^\"]+)\"");
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void theConsoleIsServedWithItsSecurityHeadersAndRevalidated() throws Exception {
    HttpResponse<byte[]> page = get("/console/", "identity");
    assertEquals(200, page.statusCode());
    assertTrue(header(page, "Content-Type").startsWith("text/html"), header(page, "Content-Type"));
    String html = text(page);
    assertTrue(html.contains("id=\"app\""), html);
    assertEquals("no-cache", header(page, "Cache-Control"));
    assertEquals("nosniff", header(page, "X-Content-Type-Options"));
    String policy = header(page, "Content-Security-Policy");
    assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    assertTrue(policy.contains("script-src 'self';"), policy);
    assertFalse(policy.contains("unsafe-eval"), policy);
    assertFalse(policy.substring(policy.indexOf("script-src")).split(";")[0].contains("unsafe-inline"), policy);
    assertFalse(html.contains("<script>"), "no inline script: the policy would block it");

    HttpResponse<byte[]> again = send(HttpRequest.newBuilder(uri("/console/")).header("If-None-Match", header(page, "ETag")));
    assertEquals(304, again.statusCode());
  }

  @Test
  void deepLinksAnswerTheAppAndMissingAssetsAre404() throws Exception {
    String index = text(get("/console/", "identity"));
    for (String link : List.of("/console/journeys/welcome", "/console/contacts/42", "/console/journeys/a.b/versions/3",
        "/console/sign-in?next=journeys")) {
      HttpResponse<byte[]> page = get(link, "identity");
      assertEquals(200, page.statusCode(), link);
      assertEquals(index, text(page), link + " answers index.html");
      assertEquals("no-cache", header(page, "Cache-Control"), link);
    }
    HttpResponse<byte[]> missing = get("/console/assets/gone-0000.js", "identity");
    assertEquals(404, missing.statusCode());
    assertTrue(header(missing, "Content-Type").startsWith("application/problem+json"));
    // nothing outside the bundle is reachable through it
    for (String escape : List.of("/console/../openapi.yaml", "/console/%2e%2e/openapi.yaml", "/console/.vite/manifest.json",
        "/console/assets/..%2F..%2Fopenapi.yaml")) {
      HttpResponse<byte[]> answer = get(escape, "identity");
      assertFalse(text(answer).contains("openapi: 3.1"), escape);
      assertFalse(text(answer).contains("\"isEntry\""), escape);
    }
  }

  @Test
  void hashedAssetsAreImmutableAndGoOutGzipped() throws Exception {
    List<String> assets = assets(text(get("/console/", "identity")));
    assertTrue(assets.stream().anyMatch(a -> a.endsWith(".js")), "index.html loads a script: " + assets);
    assertTrue(assets.stream().anyMatch(a -> a.endsWith(".css")), "and a stylesheet: " + assets);
    for (String asset : assets) {
      HttpResponse<byte[]> plain = get(asset, "identity");
      assertEquals(200, plain.statusCode(), asset);
      assertEquals("public, max-age=31536000, immutable", header(plain, "Cache-Control"), asset);
      assertTrue(header(plain, "Content-Type").startsWith(asset.endsWith(".js") ? "text/javascript" : "text/css"), asset);
      assertNull(plain.headers().firstValue("Content-Encoding").filter(e -> !e.equals("identity")).orElse(null), asset);

      HttpResponse<byte[]> zipped = get(asset, "gzip, deflate, br");
      assertEquals("gzip", header(zipped, "Content-Encoding"), asset);
      assertEquals("Accept-Encoding", header(zipped, "Vary"), asset);
      assertTrue(zipped.body().length < plain.body().length / 2, asset + ": " + zipped.body().length + " of " + plain.body().length);
      assertArrayEquals(plain.body(), gunzip(zipped.body()), asset);
    }
    HttpResponse<byte[]> refused = get(assets.get(0), "gzip;q=0, identity");
    assertFalse(refused.headers().firstValue("Content-Encoding").orElse("identity").equals("gzip"));
  }

  @Test
  void theRootAndTheBareConsoleRedirectToIt() throws Exception {
    for (String path : List.of("/", "/console")) {
      HttpResponse<byte[]> answer = get(path, "identity");
      assertEquals(302, answer.statusCode(), path);
      assertEquals("/console/", header(answer, "Location"), path);
    }
  }

  @Test
  void acceptEncodingIsRead() {
    assertTrue(AcceptEncoding.allowsGzip("gzip, deflate, br"));
    assertTrue(AcceptEncoding.allowsGzip("br;q=1.0, gzip;q=0.8"));
    assertTrue(AcceptEncoding.allowsGzip("*"));
    assertFalse(AcceptEncoding.allowsGzip("gzip;q=0"));
    assertFalse(AcceptEncoding.allowsGzip("br, deflate"));
    assertFalse(AcceptEncoding.allowsGzip(null));
  }

  private static List<String> assets(String html) {
    List<String> found = new ArrayList<>();
    Matcher m = ASSET.matcher(html);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private HttpResponse<byte[]> get(String path, String acceptEncoding) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept-Encoding", acceptEncoding));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + TestSiyu.get().httpPort() + path);
  }

  private static String header(HttpResponse<?> response, String name) {
    String value = response.headers().firstValue(name).orElse(null);
    assertNotNull(value, name + " missing");
    return value;
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
