package io.siyu.web;

import static io.siyu.support.Unique.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.outbox.Touches;
import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every paged list of the API read in each of its orders, both ways, two rows a page: each row of
 * the test's own comes exactly once and in its place, ties (several rows with one sort value) fall
 * across page boundaries and are broken by the id, and no row anywhere in the list comes twice.
 */
class ListSortingTest {
  private static final Api api = TestSiyu.admin();

  enum Kind { NUMBER, TEXT, TIME }

  record Field(String name, Kind kind) {}

  static Field number(String name) {
    return new Field(name, Kind.NUMBER);
  }

  static Field text(String name) {
    return new Field(name, Kind.TEXT);
  }

  static Field time(String name) {
    return new Field(name, Kind.TIME);
  }

  /** Lowercase letters and digits only: they sort alike in every collation, so Java can check the order. */

  // ---- the lists ------------------------------------------------------------------------------

  @Test
  void contactsByIdAndByUpdateTime() throws Exception {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(created(api.post("/api/v1/contacts", new JsonObject().put("external_userid", "sort-" + u + "-" + i)
          .put("name", "sort" + u))));
    }
    // three share one update time, two another: ties across the pages of two
    sql("UPDATE contacts SET updated_at = CASE WHEN id % 2 = 0 THEN timestamptz '2026-03-01 10:00:00.123456+00' "
        + "ELSE timestamptz '2026-02-01 10:00:00+00' END WHERE name = ?", "sort" + u);
    String path = "/api/v1/contacts?name=sort" + u;
    assertSorts(path, "items", "id", ids, number("id"), time("updated_at"));
    assertDefault(path, "-id");
  }

  @Test
  void eventsByOccurrenceAndBySequence() {
    long c = contact();
    JsonArray events = new JsonArray();
    String[] times = {"2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "2026-01-01T08:00:00+08:00",
        "2026-03-01T10:00:00Z", "2026-05-01T10:00:00.5Z"};
    for (int i = 0; i < times.length; i++) {
      events.add(new JsonObject().put("id", "sort-" + unique()).put("type", "sort.test").put("contact_id", c)
          .put("occurred_at", times[i]));
    }
    Reply r = api.post("/api/v1/events/batch", new JsonObject().put("events", events));
    assertEquals(200, r.status(), r.toString());
    List<Object> seqs = new ArrayList<>();
    r.json().getJsonArray("results").forEach(e -> seqs.add(((JsonObject) e).getJsonObject("event").getLong("seq")));
    assertSorts("/api/v1/events?contact_id=" + c, "items", "seq", seqs, number("seq"), time("occurred_at"));
    assertSorts("/api/v1/contacts/" + c + "/events", "items", "seq", seqs, number("seq"), time("occurred_at"));
    assertDefault("/api/v1/events?contact_id=" + c, "-occurred_at");
    assertDefault("/api/v1/contacts/" + c + "/events", "-occurred_at");
  }

  @Test
  void tagsTagGroupsAndTagHistory() {
    String u = unique();
    long g1 = created(api.post("/api/v1/tag-groups", new JsonObject().put("name", "sortg" + u + "b")));
    long g2 = created(api.post("/api/v1/tag-groups", new JsonObject().put("name", "sortg" + u + "a")));
    List<Long> tags = new ArrayList<>();
    // one name in both groups: a tie in the global list
    for (long g : List.of(g1, g2)) {
      tags.add(created(api.post("/api/v1/tags", new JsonObject().put("group_id", g).put("name", "sortt" + u + "x"))));
    }
    tags.add(created(api.post("/api/v1/tags", new JsonObject().put("group_id", g1).put("name", "sortt" + u + "a"))));
    tags.add(created(api.post("/api/v1/tags", new JsonObject().put("group_id", g1).put("name", "sortt" + u + "z"))));
    assertSorts("/api/v1/tags", "items", "id", tags, number("id"), text("name"));
    assertSorts("/api/v1/tags?group_id=" + g1, "items", "id", List.of(tags.get(0), tags.get(2), tags.get(3)),
        number("id"), text("name"));
    assertSorts("/api/v1/tag-groups", "items", "id", List.of(g1, g2), number("id"), text("name"));
    assertDefault("/api/v1/tags?group_id=" + g1, "name");
    assertDefault("/api/v1/tag-groups", "name");

    long c = contact();
    JsonArray tagIds = new JsonArray(tags.subList(0, 3));
    assertEquals(200, api.post("/api/v1/contacts/" + c + "/tags", new JsonObject().put("tag_ids", tagIds)).status());
    assertEquals(204, api.delete("/api/v1/contacts/" + c + "/tags/" + tags.get(1)).status());
    List<Object> changes = ids(walk("/api/v1/contacts/" + c + "/tag-history", "items", "id", 500, true), "id");
    assertEquals(4, changes.size());
    assertSorts("/api/v1/contacts/" + c + "/tag-history", "items", "id", changes, number("id"));
    assertDefault("/api/v1/contacts/" + c + "/tag-history", "-id");
  }

  @Test
  void segmentsByNameAndByChange() throws Exception {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    for (String suffix : List.of("c", "a", "b")) {
      ids.add(created(api.post("/api/v1/segments", new JsonObject().put("name", "sorts" + u + suffix)
          .put("filter", new JsonObject().put("field", "purchase_count").put("op", "gte").put("value", 0)))));
    }
    sql("UPDATE segments SET updated_at = timestamptz '2026-04-01 00:00:00+00' WHERE name LIKE ?", "sorts" + u + "%");
    assertSorts("/api/v1/segments", "items", "id", ids, number("id"), text("name"), time("updated_at"));
    assertDefault("/api/v1/segments", "name");
  }

  @Test
  void templatesByKeyAndByChange() throws Exception {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    for (String suffix : List.of("b", "a", "c")) {
      ids.add(api.post("/api/v1/templates", new JsonObject().put("key", "sort" + u + suffix).put("kind", "transactional")
          .put("variants", new JsonArray().add(new JsonObject().put("channel", "sms").put("locale", "zh-CN")
              .put("body", "x"))))
          .json().getLong("id"));
    }
    sql("UPDATE templates SET updated_at = timestamptz '2026-04-01 00:00:00+00' WHERE key LIKE ?", "sort" + u + "%");
    assertSorts("/api/v1/templates", "items", "id", ids, number("id"), text("key"), time("updated_at"));
    assertDefault("/api/v1/templates", "key");
  }

  @Test
  void rightsAndGrants() {
    String u = unique();
    List<Long> rights = new ArrayList<>();
    List<String> codes = List.of("sort" + u + "b", "sort" + u + "a", "sort" + u + "c");
    for (String code : codes) {
      // two share a name: a tie
      rights.add(created(api.post("/api/v1/rights", new JsonObject().put("code", code)
          .put("name", code.endsWith("c") ? "sortn" + u + "a" : "sortn" + u + "b").put("type", "coupon")
          .put("validity_days", 30))));
    }
    assertSorts("/api/v1/rights", "items", "id", rights, number("id"), text("code"), text("name"));
    assertDefault("/api/v1/rights", "code");

    long c = contact();
    List<Object> grants = new ArrayList<>();
    for (String code : codes) {
      grants.add(created(api.post("/api/v1/contacts/" + c + "/rights", new JsonObject().put("right", code)
          .put("grant_key", "sort-" + unique()))));
    }
    assertSorts("/api/v1/contacts/" + c + "/rights", "items", "id", grants, number("id"));
    assertDefault("/api/v1/contacts/" + c + "/rights", "-id");
  }

  @Test
  void pointsLedgerAndGrowthHistory() {
    long c = contact();
    for (int i = 0; i < 3; i++) {
      assertEquals(201, api.post("/api/v1/contacts/" + c + "/points/earn", new JsonObject().put("points", 10 + i)
          .put("reason", "sort").put("key", "sort-" + unique())).status());
    }
    List<Object> ledger = ids(walk("/api/v1/contacts/" + c + "/points/ledger", "items", "id", 500, true), "id");
    assertEquals(3, ledger.size());
    assertSorts("/api/v1/contacts/" + c + "/points/ledger", "items", "id", ledger, number("id"));
    assertDefault("/api/v1/contacts/" + c + "/points/ledger", "-id");

    for (String day : List.of("2026-03-01", "2026-03-02", "2026-03-03")) {
      assertEquals(201, api.post("/api/v1/events", new JsonObject().put("id", "sort-" + unique()).put("type", "sign_in")
          .put("contact_id", c).put("occurred_at", day + "T10:00:00+08:00")).status());
    }
    List<Object> growth = ids(walk("/api/v1/contacts/" + c + "/growth", "items", "id", 500, true), "id");
    assertEquals(3, growth.size());
    assertSorts("/api/v1/contacts/" + c + "/growth", "items", "id", growth, number("id"));
    assertDefault("/api/v1/contacts/" + c + "/growth", "-id");
  }

  @Test
  void importsAndTheirRejections() {
    List<Long> imports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      imports.add(api.send(HttpMethod.POST, "/api/v1/imports", "text/csv",
          Buffer.buffer("external_userid,name\nsort-" + unique() + ",x\n")).json().getLong("id"));
    }
    imports.forEach(api::awaitImport);
    assertSorts("/api/v1/imports", "items", "id", imports, number("id"));
    assertDefault("/api/v1/imports", "-id");

    StringBuilder csv = new StringBuilder("external_userid,gender\n");
    for (int i = 0; i < 5; i++) {
      csv.append("sort-").append(unique()).append(",nobody\n");
    }
    long id = api.send(HttpMethod.POST, "/api/v1/imports", "text/csv", Buffer.buffer(csv.toString())).json().getLong("id");
    assertEquals(5, api.awaitImport(id).getInteger("rows_rejected"));
    String path = "/api/v1/imports/" + id + "/rejections";
    assertSorts(path, "items", "line", List.of(2L, 3L, 4L, 5L, 6L), number("line"));
    assertDefault(path, "line");
  }

  @Test
  void touches() throws Exception {
    long c = contact();
    String u = unique();
    List<Long> ids = Touches.enqueue(TestSiyu.get(), Touches.touch("sort-" + u + "-1", c, "log"),
        Touches.touch("sort-" + u + "-2", c, "log"), Touches.touch("sort-" + u + "-3", c, "log"));
    assertSorts("/api/v1/touches?contact_id=" + c, "items", "id", ids, number("id"));
    assertDefault("/api/v1/touches?contact_id=" + c, "-id");
  }

  @Test
  void tokensByIdAndByName() {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    for (String name : List.of("sort" + u + "b", "sort" + u + "a", "sort" + u + "b")) {
      ids.add(created(api.post("/api/v1/tokens", new JsonObject().put("name", name).put("role", "manager"))));
    }
    assertSorts("/api/v1/tokens", "items", "id", ids, number("id"), text("name"));
    assertDefault("/api/v1/tokens", "-id");
  }

  @Test
  void usersByIdEmailNameAndCreation() {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    // emails differ in letters only where they differ; two people share a name (a tie)
    for (String[] person : new String[][] {{"b", "n" + u + "b"}, {"a", "n" + u + "a"}, {"c", "n" + u + "b"}}) {
      ids.add(created(api.post("/api/v1/users", new JsonObject().put("email", "sort" + u + person[0] + "@example.com")
          .put("display_name", person[1]).put("role", "manager").put("password", "a long passphrase"))));
    }
    assertSorts("/api/v1/users", "items", "id", ids, number("id"), text("email"), text("display_name"), time("created_at"));
    assertDefault("/api/v1/users", "-id");
  }

  @Test
  void scheduleRuns() throws Exception {
    String job = "sort-" + unique();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(insert("INSERT INTO schedule_runs (job, scheduled_for, instance, status) VALUES (?, now(), 'test', 'done') "
          + "RETURNING id", job));
    }
    assertSorts("/api/v1/schedules/" + job + "/runs", "items", "id", ids, number("id"));
    assertDefault("/api/v1/schedules/" + job + "/runs", "-id");
  }

  @Test
  void wecomCallbacks() throws Exception {
    String event = "sort_" + unique();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String message = "<xml><Event>" + event + "</Event><N>" + i + "</N></xml>";
      ids.add(insert("INSERT INTO wecom_callbacks (message_hash, event, message, fields, status) "
          + "VALUES (sha256(convert_to(?, 'UTF8')), ?, ?, '{}', 'parked') RETURNING id", message, event, message));
    }
    assertSorts("/api/v1/wecom/callbacks?event=" + event, "items", "id", ids, number("id"));
    assertDefault("/api/v1/wecom/callbacks?event=" + event, "-id");
  }

  @Test
  void channelCodes() throws Exception {
    String u = unique();
    List<Long> ids = new ArrayList<>();
    for (String name : List.of("sort" + u + "b", "sort" + u + "a", "sort" + u + "b")) {
      ids.add(insert("INSERT INTO wecom_channel_codes (name, state, staff_userids, skip_verify, status, created_by) "
          + "VALUES (?, ?, '{zhangsan}', false, 'retired', 'test') RETURNING id", name, "s" + unique()));
    }
    assertSorts("/api/v1/channel-codes", "items", "id", ids, number("id"), text("name"));
    assertDefault("/api/v1/channel-codes", "-id");
  }

  @Test
  void groupChatsAndTheirMembers() throws Exception {
    String owner = "sort-" + unique();
    List<Long> chats = new ArrayList<>();
    for (int size : new int[] {3, 5, 3, 3, 1}) {
      chats.add(insert("INSERT INTO group_chats (chat_id, name, owner_userid, member_count) VALUES (?, 'x', ?, ?) "
          + "RETURNING id", "wr" + unique(), owner, size));
    }
    assertSorts("/api/v1/group-chats?owner=" + owner, "items", "id", chats, number("id"), number("member_count"));
    assertDefault("/api/v1/group-chats?owner=" + owner, "-id");

    String chatId = "wr" + unique();
    insert("INSERT INTO group_chats (chat_id, owner_userid) VALUES (?, ?) RETURNING id", chatId, owner);
    List<Long> members = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      members.add(insert("INSERT INTO group_chat_members (chat_id, userid, member_type) VALUES (?, ?, 'external') "
          + "RETURNING id", chatId, "wm" + unique()));
    }
    String path = "/api/v1/group-chats/" + chatId + "?member_status=all";
    assertSorts(path, "members", "id", members, number("id"));
    assertDefault(path, "members", "id");
  }

  // ---- what a bad sort or cursor gets -----------------------------------------------------------

  @Test
  void anUnknownFieldIs422NamingTheAllowedOnes() {
    Reply r = api.get("/api/v1/touches?sort=status");
    assertEquals(422, r.status(), r.toString());
    assertEquals("sort", r.errorField());
    assertEquals(new JsonArray().add("id").add("-id"), r.json().getJsonArray("allowed"));
    assertTrue(r.json().getString("detail").contains("id, -id"), r.body());
    for (String bad : List.of("sort=", "sort=%2Bid", "sort=id,name", "sort=id&sort=-id", "sort=ID", "sort=--id",
        "sort=%E4%B8%AD")) {
      Reply b = api.get("/api/v1/tags?" + bad);
      assertEquals(422, b.status(), bad + ": " + b);
      assertEquals("sort", b.errorField(), bad);
    }
  }

  @Test
  void aCursorKeepsItsSortAndRefusesAnother() {
    long c = contact();
    for (int i = 0; i < 3; i++) {
      api.post("/api/v1/events", new JsonObject().put("id", "sort-" + unique()).put("type", "sort.test").put("contact_id", c)
          .put("occurred_at", "2026-0" + (i + 1) + "-01T00:00:00Z"));
    }
    String base = "/api/v1/events?contact_id=" + c + "&limit=1";
    String cursor = api.get(base + "&sort=seq").json().getString("next_cursor");
    assertNotNull(cursor);
    Reply other = api.get(base + "&sort=-occurred_at&cursor=" + cursor);
    assertEquals(422, other.status(), other.toString());
    assertEquals("cursor", other.errorField());
    assertTrue(other.json().getString("detail").contains("sort=seq"), other.body());
    Reply reversed = api.get(base + "&sort=-seq&cursor=" + cursor);
    assertEquals(422, reversed.status(), reversed.toString());
    // left out, the sort is the cursor's own
    assertEquals(200, api.get(base + "&cursor=" + cursor).status());
    // a cursor of another list names a field this one does not have
    Reply elsewhere = api.get("/api/v1/touches?cursor=" + cursor);
    assertEquals(422, elsewhere.status(), elsewhere.toString());
    assertEquals("cursor", elsewhere.errorField());
  }

  @Test
  void aCursorNotIssuedHereIs422AndNeverReachesTheDatabase() {
    List<String> forged = List.of("nope", "", "id:5", "[\"-id\",5]", "[\"-id\",\"x\",5]", "[\"-id\",1.5,1.5]",
        "[\"-id\",1e309,1e309]", "[\"-id\",99999999999999999999,1]", "{\"a\":1}",
        "[\"name\",\"a\\u0000b\",1]", "[\"-updated_at\",\"+999999999-12-31T23:59:59Z\",1]",
        "[\"-updated_at\",\"yesterday\",1]", "[\"-updated_at\",5,1]", "[\"-nope\",1,1]");
    for (String raw : forged) {
      String cursor = raw.isEmpty() ? "%21%21" : Base64.getUrlEncoder().withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
      for (String list : List.of("/api/v1/contacts", "/api/v1/tags")) {
        Reply r = api.get(list + "?cursor=" + cursor);
        assertEquals(422, r.status(), list + " " + raw + ": " + r);
        assertEquals("cursor", r.errorField(), raw);
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /**
   * Reads {@code path} in every order of {@code fields}, both ways, two rows a page: the test's own
   * rows ({@code mine}, by {@code idField}) each come once, in the order of (field, id); no row of
   * the list comes twice; and for numbers and times, which sort alike in Java and PostgreSQL, the
   * whole list is in order.
   */
  static void assertSorts(String path, String itemsKey, String idField, List<? extends Object> mine, Field... fields) {
    for (Field f : fields) {
      for (boolean descending : new boolean[] {false, true}) {
        String sort = (descending ? "-" : "") + f.name();
        // descending pages leave the sort to the cursor, ascending ones repeat it: both must hold
        List<JsonObject> all = walk(path + (path.contains("?") ? "&" : "?") + "sort=" + sort, itemsKey, idField, 2,
            !descending);
        List<Object> seen = ids(all, idField);
        assertEquals(seen.size(), new HashSet<>(seen).size(), path + " sort=" + sort + " repeated a row: " + seen);
        Set<Object> ours = new HashSet<>(numbers(mine));
        List<JsonObject> own = all.stream().filter(i -> ours.contains(i.getLong(idField))).toList();
        assertEquals(ours.size(), own.size(), path + " sort=" + sort + " lost a row: " + seen);
        Comparator<JsonObject> order = comparator(f, idField);
        if (descending) {
          order = order.reversed();
        }
        assertEquals(ids(own.stream().sorted(order).toList(), idField), ids(own, idField), path + " sort=" + sort);
        if (f.kind() != Kind.TEXT) {
          assertEquals(ids(all.stream().sorted(order).toList(), idField), seen, path + " sort=" + sort + " (whole list)");
        }
      }
    }
  }

  /** The first page without {@code sort} is the first page of the documented default. */
  static void assertDefault(String path, String sort) {
    assertDefault(path, "items", sort);
  }

  static void assertDefault(String path, String itemsKey, String sort) {
    String sep = path.contains("?") ? "&" : "?";
    JsonObject plain = page(api.get(path + sep + "limit=500"), itemsKey);
    JsonObject explicit = page(api.get(path + sep + "limit=500&sort=" + sort), itemsKey);
    assertEquals(explicit.getJsonArray("items"), plain.getJsonArray("items"), path + " should default to sort=" + sort);
  }

  /** Every item of the list, following next_cursor from the first page to the last. */
  static List<JsonObject> walk(String path, String itemsKey, String idField, int limit, boolean repeatSort) {
    List<JsonObject> all = new ArrayList<>();
    String sep = path.contains("?") ? "&" : "?";
    String first = path + sep + "limit=" + limit;
    String next = first;
    String base = repeatSort ? first : stripSort(first);
    for (int pages = 0; next != null; pages++) {
      assertTrue(pages < 5000, "endless paging of " + path);
      Reply r = api.get(next);
      assertEquals(200, r.status(), next + ": " + r);
      JsonObject page = page(r, itemsKey);
      page.getJsonArray("items").forEach(i -> all.add((JsonObject) i));
      assertTrue(page.getJsonArray("items").size() <= limit);
      String cursor = page.getString("next_cursor");
      next = cursor == null ? null : base + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }
    return all;
  }

  private static String stripSort(String path) {
    return path.replaceAll("([?&])sort=[^&]*&?", "$1");
  }

  private static JsonObject page(Reply r, String itemsKey) {
    assertEquals(200, r.status(), r.toString());
    return "items".equals(itemsKey) ? r.json() : r.json().getJsonObject(itemsKey);
  }

  private static Comparator<JsonObject> comparator(Field f, String idField) {
    Comparator<JsonObject> byValue = switch (f.kind()) {
      case NUMBER -> Comparator.comparingLong(i -> i.getLong(f.name()));
      case TEXT -> Comparator.comparing(i -> i.getString(f.name()));
      case TIME -> Comparator.comparing(i -> Instant.parse(i.getString(f.name())));
    };
    return byValue.thenComparingLong(i -> i.getLong(idField));
  }

  static List<Object> ids(List<JsonObject> items, String idField) {
    return items.stream().map(i -> (Object) i.getLong(idField)).toList();
  }

  private static List<Long> numbers(List<?> ids) {
    return ids.stream().map(i -> ((Number) i).longValue()).toList();
  }

  private static long created(Reply r) {
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static long contact() {
    return created(api.post("/api/v1/contacts", new JsonObject().put("external_userid", "sort-" + unique())));
  }

  private static void sql(String sql, Object... params) throws Exception {
    try (Connection conn = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private static long insert(String sql, Object... params) throws Exception {
    try (Connection conn = TestSiyu.get().database().jdbc().getConnection();
        PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
