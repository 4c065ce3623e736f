package io.siyu.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.problem.Problem;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an attacker or a careless client sends, over real HTTP against a running Siyu: control
 * characters in ids, lone surrogates, numbers that overflow, fractional ids, nulls where a value
 * must stay, NUL and broken escapes in URLs. Each is a 4xx problem document naming what is wrong,
 * answered at once (a hang fails the test after a few seconds) and storing nothing.
 */
class HostileInputTest {
  private static final Api api = TestSiyu.admin().withTimeout(15);
  private static final Map<String, String> fixtures = new java.util.HashMap<>();

  /**
   * One hostile request: {@code body} is raw JSON text (so it can carry what no JSON library
   * writes, such as {@code 1e309}); {@code {contact}}, {@code {right}}, {@code {segment}},
   * {@code {tag}} and {@code {uid}} in path and body are filled in; {@code absent}, when set, is a
   * path that must still be a 404 afterwards (the request stored nothing).
   */
  record Case(String name, HttpMethod method, String path, String body, int status, String type, String field,
      String absent) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case refused(String name, HttpMethod method, String path, String body, String field) {
    return new Case(name, method, path, body, 422, "validation", field, null);
  }

  /** An event whose id is {@code id} and a unique tail; afterwards no event may have that id (nor '?' for a surrogate). */
  private static Case event(String name, String id, String field) {
    String stored = URLEncoder.encode(id.replaceAll("[\\ud800-\\udfff]", "?"), StandardCharsets.UTF_8).replace("+", "%20");
    return new Case(name, HttpMethod.POST, "/api/v1/events",
        "{\"id\": \"" + escaped(id) + "{uid}\", \"type\": \"page.viewed\", \"contact_id\": {contact}}", 422,
        "validation", field, "/api/v1/events/" + stored + "{uid}");
  }

  /** {@code s} for a JSON string, everything outside printable ASCII as a \\u escape (lone surrogates too). */
  private static String escaped(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf((char) c)
        : String.format("\\u%04x", c)));
    return out.toString();
  }

  private static Case url(String name, HttpMethod method, String path) {
    return new Case(name, method, path, method == HttpMethod.GET ? null : "{}", 400, "malformed-request", null, null);
  }

  static Stream<Case> cases() {
    HttpMethod post = HttpMethod.POST;
    HttpMethod patch = HttpMethod.PATCH;
    String purchase = "{\"id\": \"{uid}\", \"type\": \"purchase\", \"contact_id\": {contact}, ";
    return Stream.of(
        // control characters in ids and keys: the event id once hung the answer (it went raw into Location)
        event("event id with a line break", "a\nb", "id"),
        event("event id with a tab", "a\tb", "id"),
        event("event id with DEL", "a\u007fb", "id"),
        event("event id with a C1 control", "a\u0085b", "id"),
        refused("batch event id with a carriage return", post, "/api/v1/events/batch",
            "{\"events\": [{\"id\": \"x\\r{uid}\", \"type\": \"page.viewed\", \"contact_id\": {contact}}]}",
            "events[0].id"),
        refused("points key with a line break", post, "/api/v1/contacts/{contact}/points/earn",
            "{\"points\": 1, \"reason\": \"r\", \"key\": \"k\\n{uid}\"}", "key"),
        refused("grant key with a bell", post, "/api/v1/contacts/{contact}/rights",
            "{\"right\": \"{right}\", \"grant_key\": \"g\\u0007{uid}\"}", "grant_key"),
        refused("external_userid with a line break", post, "/api/v1/contacts",
            "{\"external_userid\": \"wm\\n{uid}\"}", "external_userid"),
        refused("an event's openid with an escape character", post, "/api/v1/events",
            "{\"id\": \"{uid}\", \"type\": \"page.viewed\", \"contact\": {\"openid\": \"o\\u001b{uid}\"}}",
            "contact.openid"),
        // lone surrogates: PostgreSQL stored them as '?', so two ids differing there were one event
        event("event id with a lone high surrogate", "x\ud800", "id"),
        event("event id with a lone low surrogate", "x\udc00", "id"),
        refused("contact name with a lone surrogate", post, "/api/v1/contacts",
            "{\"mobile\": \"13700000001\", \"name\": \"\\ud83d\"}", "name"),
        refused("tag group name with a lone surrogate", post, "/api/v1/tag-groups",
            "{\"name\": \"g\\udbff{uid}\"}", "name"),
        refused("a lone surrogate deep in event properties", post, "/api/v1/events",
            purchase + "\"amount\": 1, \"properties\": {\"items\": [{\"sku\": \"\\ud800\"}]}}", "properties.items[0].sku"),
        refused("a lone surrogate in a key of event properties", post, "/api/v1/events",
            purchase + "\"amount\": 1, \"properties\": {\"a\\ud800\": 1}}", "properties"),
        // nulls where the column always has a value
        refused("contact gender null", post, "/api/v1/contacts",
            "{\"mobile\": \"13700000002\", \"gender\": null}", "gender"),
        refused("contact timezone null", post, "/api/v1/contacts",
            "{\"mobile\": \"13700000003\", \"timezone\": null}", "timezone"),
        refused("contact lifecycle_stage null", post, "/api/v1/contacts",
            "{\"mobile\": \"13700000004\", \"lifecycle_stage\": null}", "lifecycle_stage"),
        refused("PATCH gender null", patch, "/api/v1/contacts/{contact}", "{\"gender\": null}", "gender"),
        refused("PATCH timezone null", patch, "/api/v1/contacts/{contact}", "{\"timezone\": null}", "timezone"),
        // numbers that overflow a double, or a 64-bit integer
        refused("event amount 1e309", post, "/api/v1/events", purchase + "\"amount\": 1e309}", "amount"),
        refused("event amount -1e309", post, "/api/v1/events", purchase + "\"amount\": -1e309}", "amount"),
        refused("event property 1e309", post, "/api/v1/events",
            purchase + "\"amount\": 1, \"properties\": {\"n\": 1e309}}", "properties.n"),
        refused("event contact_id beyond 64 bits", post, "/api/v1/events",
            "{\"id\": \"{uid}\", \"type\": \"page.viewed\", \"contact_id\": 123456789012345678901234567890}",
            "contact_id"),
        refused("right value 1e309", post, "/api/v1/rights",
            "{\"code\": \"r{uid}\", \"name\": \"R\", \"type\": \"coupon\", \"validity_days\": 30, \"value\": 1e309}",
            "value"),
        refused("PATCH right value 1e309", patch, "/api/v1/rights/{right_id}", "{\"value\": 1e309}", "value"),
        refused("segment preview value 1e309", post, "/api/v1/segments/preview",
            "{\"filter\": {\"field\": \"total_spent\", \"op\": \"gte\", \"value\": 1e309}}", "filter.value"),
        refused("segment between 1e309", post, "/api/v1/segments",
            "{\"name\": \"s{uid}\", \"filter\": {\"field\": \"total_spent\", \"op\": \"between\", \"value\": [0, 1e309]}}",
            "filter.value[1]"),
        refused("PATCH segment value -1e309", patch, "/api/v1/segments/{segment}",
            "{\"filter\": {\"field\": \"total_spent\", \"op\": \"gte\", \"value\": -1e309}}", "filter.value"),
        refused("contact attribute 1e309", post, "/api/v1/contacts",
            "{\"mobile\": \"13700000005\", \"attributes\": {\"hostile_score\": 1e309}}", "attributes.hostile_score"),
        // fractional ids were truncated: contact 1.5 became contact 1
        new Case("event contact_id 1.5", post, "/api/v1/events",
            "{\"id\": \"frac-{uid}\", \"type\": \"page.viewed\", \"contact_id\": 1.5}", 422, "validation", "contact_id",
            "/api/v1/events/frac-{uid}"),
        refused("journey start contact_id 1.5", post, "/api/v1/journeys/welcome/start", "{\"contact_id\": 1.5}",
            "contact_id"),
        refused("journey start segment_id 2.5", post, "/api/v1/journeys/welcome/start", "{\"segment_id\": 2.5}",
            "segment_id"),
        refused("tagging contact_ids [1.5]", post, "/api/v1/tags/{tag}/contacts", "{\"contact_ids\": [1.5]}",
            "contact_ids[0]"),
        refused("touch contact_id 1.5", post, "/api/v1/touches",
            "{\"contact_id\": 1.5, \"channel\": \"log\", \"template\": \"welcome_day1\"}", "contact_id"),
        refused("preview contact_id 1.5", post, "/api/v1/templates/welcome_day1/preview",
            "{\"contact_id\": 1.5, \"channel\": \"sms\"}", "contact_id"),
        // NUL and broken escapes in the URL: refused before any route, so never PostgreSQL's 22021
        url("NUL in an event id in the path", HttpMethod.GET, "/api/v1/events/a%00b"),
        url("NUL in a query value", HttpMethod.GET, "/api/v1/contacts?name=a%00b"),
        url("NUL in a query name", HttpMethod.GET, "/api/v1/contacts?na%00me=x"),
        url("NUL in a list filter", HttpMethod.GET, "/api/v1/touches?journey_key=w%00"),
        url("NUL in an attribute key to PATCH", patch, "/api/v1/attributes/a%00"),
        url("NUL in a journey key", post, "/api/v1/journeys/w%00/pause"),
        url("NUL in a schedule name", HttpMethod.GET, "/api/v1/schedules/a%00/runs"),
        url("NUL in a template key", HttpMethod.GET, "/api/v1/templates/a%00"),
        url("NUL in a group chat id", HttpMethod.GET, "/api/v1/group-chats/wr%00"),
        url("NUL in a receipt channel", post, "/webhooks/receipts/sms%00"),
        url("NUL in a tracked link", HttpMethod.GET, "/l/abc%00"),
        url("NUL in the health check's query", HttpMethod.GET, "/health?x=%00"),
        url("a lone percent sign in the path", HttpMethod.GET, "/api/v1/events/%"),
        url("a percent sign without hex digits", HttpMethod.GET, "/api/v1/events/%zz"));
  }

  @BeforeAll
  static void fixtures() {
    Reply contact = api.post("/api/v1/contacts", new JsonObject().put("mobile", "13711" + digits(6)).put("name", "hostile"));
    assertEquals(201, contact.status(), contact.toString());
    fixtures.put("contact", contact.json().getLong("id").toString());
    String code = "hostile_" + digits(8);
    Reply right = api.post("/api/v1/rights", new JsonObject().put("code", code).put("name", "R").put("type", "coupon")
        .put("validity_days", 30));
    assertEquals(201, right.status(), right.toString());
    fixtures.put("right", code);
    fixtures.put("right_id", right.json().getLong("id").toString());
    Reply segment = api.post("/api/v1/segments", new JsonObject().put("name", "hostile-" + UUID.randomUUID())
        .put("filter", new JsonObject().put("field", "total_spent").put("op", "gte").put("value", 1)));
    assertEquals(201, segment.status(), segment.toString());
    fixtures.put("segment", segment.json().getLong("id").toString());
    Reply group = api.post("/api/v1/tag-groups", new JsonObject().put("name", "hostile-" + UUID.randomUUID()));
    Reply tag = api.post("/api/v1/tags", new JsonObject().put("group_id", group.json().getLong("id")).put("name", "t"));
    assertEquals(201, tag.status(), tag.toString());
    fixtures.put("tag", tag.json().getLong("id").toString());
    Reply attribute = api.post("/api/v1/attributes", new JsonObject().put("key", "hostile_score").put("type", "number"));
    assertTrue(attribute.status() == 201 || attribute.status() == 409, attribute.toString());
  }

  private static String digits(int n) {
    return String.format("%0" + n + "d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % (long) Math.pow(10, n)));
  }

  private static String fill(String s, String uid) {
    if (s == null) {
      return null;
    }
    String out = s.replace("{uid}", uid);
    for (Map.Entry<String, String> f : fixtures.entrySet()) {
      out = out.replace("{" + f.getKey() + "}", f.getValue());
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isAProblemAnsweredAtOnceThatStoresNothing(Case c) {
    String uid = "hostile-" + UUID.randomUUID();
    String body = fill(c.body(), uid);
    Reply r = api.send(c.method(), fill(c.path(), uid), body == null ? null : "application/json",
        body == null ? null : Buffer.buffer(body));
    assertEquals(c.status(), r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    assertEquals(c.type(), r.problemType(), r.toString());
    if (c.field() != null) {
      assertEquals(c.field(), r.errorField(), r.toString());
    }
    if (c.absent() != null) {
      assertEquals(404, api.get(fill(c.absent(), uid)).status(), "nothing was stored");
    }
  }

  @Test
  void twoIdsDifferingOnlyInALoneSurrogateAreNotOneEvent() {
    String contact = fixtures.get("contact");
    String base = "surrogate-" + UUID.randomUUID();
    for (String tail : new String[] {"\\ud800", "\\ud801"}) {
      Reply r = api.send(HttpMethod.POST, "/api/v1/events", "application/json", Buffer.buffer(
          "{\"id\": \"" + base + tail + "\", \"type\": \"page.viewed\", \"contact_id\": " + contact + "}"));
      assertEquals(422, r.status(), r.toString());
    }
    assertEquals(404, api.get("/api/v1/events/" + base + "%3F").status(), "not stored with a question mark");
  }

  @Test
  void aLoneSurrogateWrittenAsRawBytesIsRefusedToo() {
    // ED A0 80 is U+D800 encoded as if it were a character: not UTF-8, yet the JSON parser lets it through
    byte[] head = "{\"name\": \"raw".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Buffer body = Buffer.buffer().appendBytes(head).appendBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})
        .appendString(UUID.randomUUID() + "\"}");
    Reply r = api.send(HttpMethod.POST, "/api/v1/tag-groups", "application/json", body);
    assertEquals(422, r.status(), r.toString());
    assertEquals("name", r.errorField());
  }

  @Test
  void aPatchThatWouldClearGenderChangesNothing() {
    String path = "/api/v1/contacts/" + fixtures.get("contact");
    assertEquals(200, api.patch(path, new JsonObject().put("gender", "female")).status());
    Reply r = api.patch(path, new JsonObject().put("gender", null).put("name", "changed"));
    assertEquals(422, r.status(), r.toString());
    JsonObject contact = api.get(path).json();
    assertEquals("female", contact.getString("gender"));
    assertEquals("hostile", contact.getString("name"));
  }

  @Test
  void importedRowsAreCheckedByTheSameRules() {
    String tag = digits(8);
    String ndjson = String.join("\n",
        "{\"email\": \"ok-" + tag + "@example.cn\", \"name\": \"好\"}",
        "{\"email\": \"gender-" + tag + "@example.cn\", \"gender\": null}",
        "{\"email\": \"surrogate-" + tag + "@example.cn\", \"name\": \"\\udc00\"}",
        "{\"external_userid\": \"wm\\n" + tag + "\"}",
        "{\"email\": \"score-" + tag + "@example.cn\", \"attributes\": {\"hostile_score\": 1e309}}",
        // quoted in the rejection's reason, a NUL key once failed the whole import
        "{\"email\": \"key-" + tag + "@example.cn\", \"attributes\": {\"a\\u0000\": 1}}") + "\n";
    Reply r = api.send(HttpMethod.POST, "/api/v1/imports", "application/x-ndjson", Buffer.buffer(ndjson));
    assertEquals(202, r.status(), r.toString());
    JsonObject job = api.awaitImport(r.json().getLong("id"));
    assertEquals("done", job.getString("status"), job.encode());
    assertEquals(5, job.getInteger("rows_rejected"), job.encode());
    assertEquals(1, api.get("/api/v1/contacts?email=ok-" + tag + "@example.cn").items().size());
  }

  @Test
  void anOverlongUrlIsA414Problem() throws Exception {
    String answer = raw("GET /api/v1/contacts?name=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertProblem(answer, 414, "uri-too-long");
  }

  @Test
  void overlongHeadersAreA431Problem() throws Exception {
    String answer = raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\n");
    assertProblem(answer, 431, "headers-too-large");
  }

  @Test
  void aHeaderWithAControlCharacterIsA400Problem() throws Exception {
    String answer = raw("GET /health HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0001b\r\n\r\n");
    assertProblem(answer, 400, "malformed-request");
  }

  /** Sends {@code request} as bytes on a new connection and reads the answer until the server closes it. */
  private static String raw(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", TestSiyu.get().httpPort())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void assertProblem(String answer, int status, String slug) {
    String[] parts = answer.split("\r\n\r\n", 2);
    assertTrue(parts[0].matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
    assertTrue(parts[0].toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), answer);
    JsonObject problem = new JsonObject(parts[1]);
    assertEquals(status, problem.getInteger("status"));
    assertEquals(Problem.TYPE_BASE + slug, problem.getString("type"));
  }
}
