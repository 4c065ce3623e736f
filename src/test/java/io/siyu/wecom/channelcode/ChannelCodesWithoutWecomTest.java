package io.siyu.wecom.channelcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.Api.Reply;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The shared server has no WeCom settings: a channel code cannot be made, and the answer says what to set. */
class ChannelCodesWithoutWecomTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void creatingNamesTheMissingSettingsAndStoresNothing() {
    int before = api.get("/api/v1/channel-codes?limit=500").items().size();
    Reply r = api.post("/api/v1/channel-codes", new JsonObject().put("name", "海报").put("staff", new JsonArray().add("zhangsan")));
    assertEquals(409, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    assertEquals("wecom-not-configured", r.problemType());
    assertEquals(new JsonArray().add("SIYU_WECOM_CORP_ID").add("SIYU_WECOM_SECRET"), r.json().getJsonArray("missing"));
    assertTrue(r.json().getString("detail").contains("SIYU_WECOM_CORP_ID and SIYU_WECOM_SECRET"), r.toString());
    assertEquals(before, api.get("/api/v1/channel-codes?limit=500").items().size());

    Reply invalid = api.post("/api/v1/channel-codes", new JsonObject().put("staff", new JsonArray().add("zhangsan")));
    assertEquals(422, invalid.status(), "a bad body is still a bad body: " + invalid);
  }
}
