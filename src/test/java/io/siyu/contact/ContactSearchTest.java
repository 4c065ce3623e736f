package io.siyu.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** {@code GET /contacts?q=}: one box finding contacts by mobile, email, external_userid or the start of the name. */
class ContactSearchTest {
  private static final Api api = TestSiyu.admin();

  private static long contact(JsonObject fields) {
    Reply r = api.post("/api/v1/contacts", fields);
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

  private static List<Long> search(String q, String more) {
    Reply r = TestSiyu.withRole("manager").get("/api/v1/contacts?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more);
    assertEquals(200, r.status(), q + ": " + r);
    return r.items().stream().map(i -> ((JsonObject) i).getLong("id")).toList();
  }

  private static List<Long> search(String q) {
    return search(q, "");
  }

  @Test
  void identitiesMatchExactlyAsTheyAreStored() {
    String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String mobile = "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    long byMobile = contact(new JsonObject().put("mobile", mobile).put("external_userid", "q-m-" + sfx));
    long byEmail = contact(new JsonObject().put("email", "Mixed." + sfx + "@Example.com"));
    long byExternal = contact(new JsonObject().put("external_userid", "wmQ" + sfx));

    String spaced = mobile.substring(0, 3) + " " + mobile.substring(3, 7) + "-" + mobile.substring(7);
    assertEquals(List.of(byMobile), search(mobile));
    assertEquals(List.of(byMobile), search(spaced), "typed with spaces and a dash");
    assertEquals(List.of(byMobile), search("+86" + mobile));
    assertEquals(List.of(), search(mobile.substring(0, 7)), "a part of a mobile is no mobile");
    assertEquals(List.of(byEmail), search("MIXED." + sfx.toUpperCase() + "@example.COM"));
    assertEquals(List.of(byExternal), search("wmQ" + sfx));
    assertEquals(List.of(), search("WMQ" + sfx), "an external_userid is matched as it is");
  }

  @Test
  void namesMatchByTheirBeginningInAnyCase() {
    String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    long alice = contact(new JsonObject().put("external_userid", "q-a-" + sfx).put("name", "Zq" + sfx + " Alice"));
    long bob = contact(new JsonObject().put("external_userid", "q-b-" + sfx).put("name", "zQ" + sfx + "bob"));
    contact(new JsonObject().put("external_userid", "q-c-" + sfx).put("name", "Carol Zq" + sfx));
    long fang = contact(new JsonObject().put("external_userid", "q-f-" + sfx).put("name", "欧阳" + sfx + "芳"));

    assertEquals(List.of(bob, alice), search("ZQ" + sfx), "newest first, the middle of a name not searched");
    assertEquals(List.of(fang), search("欧阳" + sfx));
    assertEquals(List.of(alice), search("zq" + sfx + " a"));
    assertEquals(List.of(), search("%" + sfx), "LIKE's wildcards are plain characters");

    // paged as the list is, and combined with the other filters
    Reply first = api.get("/api/v1/contacts?q=zq" + sfx + "&limit=1");
    assertEquals(List.of(bob), first.items().stream().map(i -> ((JsonObject) i).getLong("id")).toList());
    String cursor = first.json().getString("next_cursor");
    Reply second = api.get("/api/v1/contacts?q=zq" + sfx + "&limit=1&cursor=" + cursor);
    assertEquals(alice, second.items().getJsonObject(0).getLong("id"));
    assertEquals(List.of(alice), search("zq" + sfx, "&sort=id&external_userid=q-a-" + sfx));
  }

  @Test
  void aBlankOrLongSearchIsA422() {
    for (String q : new String[] {"%20", "", "x".repeat(201)}) {
      Reply r = api.get("/api/v1/contacts?q=" + q);
      assertEquals(422, r.status(), r.toString());
      assertEquals("q", r.errorField());
    }
  }
}
