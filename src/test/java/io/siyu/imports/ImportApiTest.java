package io.siyu.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk import through the API: streamed upload, upsert, rejected lines with reasons, progress. */
class ImportApiTest {
  private static final Api api = TestSiyu.admin();

  @BeforeAll
  static void attributes() {
    api.post("/api/v1/attributes", new JsonObject().put("key", "level").put("type", "integer"));
    api.post("/api/v1/attributes", new JsonObject().put("key", "city").put("type", "string"));
  }

  static Reply upload(String contentType, String body) {
    return api.send(HttpMethod.POST, "/api/v1/imports", contentType, Buffer.buffer(body));
  }

  static JsonObject await(long id) {
    return api.awaitImport(id);
  }

  @Test
  void csvWithGoodAndBadLinesReportsEachRejectedLine() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    String m = "136" + String.format("%04d", new java.util.Random().nextInt(10_000));
    String csv = "mobile,email,name,gender,birthday,attributes.level,attributes.city,consent.sms\n"
        + m + "0001,a" + u + "@x.cn,张三,male,1990-02-28,3,上海,true\n"
        + "12,b" + u + "@x.cn,bad mobile,,,,,\n"
        + m + "0003,c" + u + "@x.cn,\"Quoted, Name\",female,2000-02-29,,杭州,no\n"
        + m + "0004,d" + u + "@x.cn,bad level,,,high,,\n"
        + m + "0005,e" + u + "@x.cn,bad date,,2001-02-29,,,\n"
        + m + "0006,f" + u + "@x.cn,too,few\n";
    Reply r = upload("text/csv", csv);
    assertEquals(202, r.status(), r.toString());
    assertNotNull(r.headers().get("Location"));
    JsonObject job = await(r.json().getLong("id"));
    assertEquals("done", job.getString("status"), job.encode());
    assertEquals(6, job.getInteger("total_rows"));
    assertEquals(6, job.getInteger("rows_done"));
    assertEquals(2, job.getInteger("rows_inserted"));
    assertEquals(4, job.getInteger("rows_rejected"));

    JsonArray rejections = api.get("/api/v1/imports/" + job.getLong("id") + "/rejections").items();
    assertEquals(4, rejections.size());
    assertEquals(3, rejections.getJsonObject(0).getInteger("line"));
    assertTrue(rejections.getJsonObject(0).getString("reason").contains("mobile"));
    assertEquals(5, rejections.getJsonObject(1).getInteger("line"));
    assertTrue(rejections.getJsonObject(1).getString("reason").contains("level"));
    assertEquals(6, rejections.getJsonObject(2).getInteger("line"));
    assertTrue(rejections.getJsonObject(2).getString("reason").contains("birthday"));
    assertEquals(7, rejections.getJsonObject(3).getInteger("line"));

    JsonObject c = api.get("/api/v1/contacts?email=c" + u + "@x.cn").items().getJsonObject(0);
    assertEquals("Quoted, Name", c.getString("name"));
    assertEquals("2000-02-29", c.getString("birthday"));
    assertEquals(false, c.getJsonObject("consent").getBoolean("sms"));
    assertEquals("import", c.getString("source"));
  }

  @Test
  void aRowWithSeveralBadCellsListsEveryOneWithItsField() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    String csv = "mobile,email,name,gender,birthday,attributes.level,attributes.city,consent.sms\n"
        + "12,not-an-email,six bad cells,robot,1990-13-01,high,杭州,perhaps\n"
        + ",,no identity and a bad gender,robot,,,,\n"
        + "139" + String.format("%08d", new java.util.Random().nextInt(100_000_000)) + ",g" + u
        + "@x.cn,good,female,,3,,yes\n";
    JsonObject job = await(upload("text/csv", csv).json().getLong("id"));
    assertEquals(2, job.getInteger("rows_rejected"), job.encode());
    JsonArray rejections = api.get("/api/v1/imports/" + job.getLong("id") + "/rejections").items();
    JsonObject six = rejections.getJsonObject(0);
    assertEquals(2, six.getInteger("line"));
    assertEquals(List.of("mobile", "email", "gender", "birthday", "attributes.level", "consent.sms"), fields(six),
        six.encode());
    six.getJsonArray("errors").forEach(e -> assertFalse(((JsonObject) e).getString("reason").isBlank(), six.encode()));
    for (String field : fields(six)) {
      assertTrue(six.getString("reason").contains(field), "the summary names every cell: " + six.encode());
    }
    JsonObject two = rejections.getJsonObject(1);
    assertEquals(3, two.getInteger("line"));
    assertEquals(Arrays.asList(null, "gender"), fields(two), two.encode());
    assertTrue(two.getJsonArray("errors").getJsonObject(0).getString("reason").contains("identity"), two.encode());

    // the same as CSV, one line per bad cell, for fixing the file in a spreadsheet
    Reply download = api.send(HttpMethod.GET, "/api/v1/imports/" + job.getLong("id") + "/rejections", null, null,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Accept", "text/csv"));
    assertEquals(200, download.status(), download.toString());
    assertTrue(download.contentType().startsWith("text/csv"), download.contentType());
    assertTrue(download.body().startsWith("\uFEFF"), "a byte-order mark, for spreadsheets");
    List<String> lines = download.body().substring(1).lines().toList();
    assertEquals("line,field,reason", lines.get(0));
    assertEquals(1 + 6 + 2, lines.size(), download.body());
    assertTrue(lines.get(1).startsWith("2,mobile,"), lines.get(1));
    assertTrue(lines.get(7).startsWith("3,,"), lines.get(7));
    Reply missing = api.send(HttpMethod.GET, "/api/v1/imports/999999999/rejections", null, null,
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Accept", "text/csv"));
    assertEquals(404, missing.status(), missing.toString());
    assertEquals("application/problem+json", missing.contentType());
  }

  @Test
  void anNdjsonRowListsEveryBadFieldAndEveryBadAttribute() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    String ndjson = new JsonObject().put("email", "nd" + u + "@x.cn").put("gender", "robot").put("colour", "red")
        .put("attributes", new JsonObject().put("level", "high").put("city", "上海").put("nope", 1)).encode() + "\n";
    JsonObject job = await(upload("application/x-ndjson", ndjson).json().getLong("id"));
    assertEquals(1, job.getInteger("rows_rejected"), job.encode());
    JsonObject rejection = api.get("/api/v1/imports/" + job.getLong("id") + "/rejections").items().getJsonObject(0);
    assertEquals(Set.of("gender", "colour", "attributes.level", "attributes.nope"), Set.copyOf(fields(rejection)),
        rejection.encode());
  }

  private static List<String> fields(JsonObject rejection) {
    List<String> fields = new ArrayList<>();
    rejection.getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }

  @Test
  void reimportingUpdatesByIdentityAndEmptyCellsKeepValues() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    long first = upload("text/csv", "external_userid,name,attributes.city,locale\nwx-" + u + ",Old,北京,en-gb\n")
        .json().getLong("id");
    assertEquals(1, await(first).getInteger("rows_inserted"));
    long second = upload("text/csv", "external_userid,name,attributes.city,mobile,locale\nwx-" + u + ",New,,13512345"
        + "678,\n").json().getLong("id");
    JsonObject job = await(second);
    assertEquals(1, job.getInteger("rows_updated"), job.encode());
    JsonObject c = api.get("/api/v1/contacts?external_userid=wx-" + u).items().getJsonObject(0);
    assertEquals("New", c.getString("name"));
    assertEquals("北京", c.getJsonObject("attributes").getString("city"));
    assertEquals("en-GB", c.getString("locale"), "imported in canonical case, kept by the empty cell");
  }

  @Test
  void theSamePersonTwiceInOneFileEndsAsOneContactWithTheLastValues() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    String csv = "unionid,email,name\n"
        + "un-" + u + ",,first\n"
        + "un-" + u + ",dup" + u + "@x.cn,second\n";
    JsonObject job = await(upload("text/csv", csv).json().getLong("id"));
    assertEquals(1, job.getInteger("rows_inserted"));
    assertEquals(1, job.getInteger("rows_updated"));
    JsonArray found = api.get("/api/v1/contacts?unionid=un-" + u).items();
    assertEquals(1, found.size());
    assertEquals("second", found.getJsonObject(0).getString("name"));
    assertEquals("dup" + u + "@x.cn", found.getJsonObject(0).getString("email"));
  }

  @Test
  void aRowNamingTwoExistingContactsIsRejectedNotMerged() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    long a = api.post("/api/v1/contacts", new JsonObject().put("openid", "oa-" + u)).json().getLong("id");
    long b = api.post("/api/v1/contacts", new JsonObject().put("unionid", "ub-" + u)).json().getLong("id");
    JsonObject job = await(upload("text/csv", "openid,unionid,name\noa-" + u + ",ub-" + u + ",x\n").json().getLong("id"));
    assertEquals(1, job.getInteger("rows_rejected"), job.encode());
    String reason = api.get("/api/v1/imports/" + job.getLong("id") + "/rejections").items().getJsonObject(0)
        .getString("reason");
    assertTrue(reason.contains(String.valueOf(a)) && reason.contains(String.valueOf(b)), reason);
  }

  @Test
  void ndjsonUsesTheContactFieldsOfTheApi() throws Exception {
    String u = UUID.randomUUID().toString().substring(0, 8);
    String ndjson = new JsonObject().put("email", "nd" + u + "@x.cn").put("name", "ND")
        .put("attributes", new JsonObject().put("level", 7)).encode() + "\n"
        + "\n"
        + "{not json}\n"
        + new JsonObject().put("email", "nd2" + u + "@x.cn").put("attributes", new JsonObject().put("nope", 1)).encode() + "\n";
    JsonObject job = await(upload("application/x-ndjson", ndjson).json().getLong("id"));
    assertEquals("done", job.getString("status"));
    assertEquals(1, job.getInteger("rows_inserted"));
    assertEquals(2, job.getInteger("rows_rejected"));
    JsonArray rej = api.get("/api/v1/imports/" + job.getLong("id") + "/rejections").items();
    assertEquals(3, rej.getJsonObject(0).getInteger("line"));
    assertEquals(4, rej.getJsonObject(1).getInteger("line"));
    assertEquals(7, api.get("/api/v1/contacts?email=nd" + u + "@x.cn").items().getJsonObject(0)
        .getJsonObject("attributes").getInteger("level"));
  }

  @Test
  void aBadHeaderIs422AndNothingIsRecorded() {
    int before = api.get("/api/v1/imports?limit=500").items().size();
    Reply r = upload("text/csv", "name,colour,attributes.undeclared\nx,red,1\n");
    assertEquals(422, r.status(), r.toString());
    String all = r.json().getJsonArray("errors").encode();
    assertTrue(all.contains("colour") && all.contains("undeclared") && all.contains("identity"), all);
    assertEquals(415, upload("application/json", "{}").status());
    assertEquals(422, upload("text/csv", "").status());
    assertEquals(before, api.get("/api/v1/imports?limit=500").items().size());
  }

  @Test
  void aLargeFileStreamsPastTheJsonBodyLimitAndReportsProgress() throws Exception {
    int rows = 80_000; // about 3 MiB: over the 2 MiB JSON body limit
    String u = UUID.randomUUID().toString().substring(0, 6);
    StringBuilder csv = new StringBuilder("external_userid,name,gender,attributes.level\n");
    for (int i = 0; i < rows; i++) {
      csv.append("big-").append(u).append('-').append(i).append(",会员").append(i).append(',')
          .append(i % 2 == 0 ? "female" : "male").append(',').append(i % 10).append('\n');
    }
    assertTrue(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 2 * 1024 * 1024);
    Reply r = upload("text/csv", csv.toString());
    assertEquals(202, r.status(), r.toString());
    JsonObject job = await(r.json().getLong("id"));
    assertEquals("done", job.getString("status"), job.encode());
    assertEquals(rows, job.getInteger("rows_inserted"));
    assertEquals(100.0, job.getDouble("percent"));
    assertEquals("会员79999", api.get("/api/v1/contacts?external_userid=big-" + u + "-79999").items()
        .getJsonObject(0).getString("name"));
  }
}
