package io.siyu.wecom.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages WeCom would refuse cannot be built: the dispatcher learns it before any call. */
class WecomMessagesTest {
  private static String error(Runnable build) {
    return assertThrows(IllegalArgumentException.class, build::run).getMessage();
  }

  private static JsonObject image() {
    return new JsonObject().put("msgtype", "image").put("image", new JsonObject().put("media_id", "MEDIA"));
  }

  @Test
  void contentNeedsTextOrWellFormedAttachments() {
    assertEquals("a WeCom message needs a text or an attachment", error(() -> new WecomContent(" ", null)));
    JsonArray ten = new JsonArray(Collections.nCopies(10, image()));
    assertEquals("WeCom takes at most 9 attachments, got 10", error(() -> new WecomContent("hi", ten)));
    JsonArray mismatched = new JsonArray().add(new JsonObject().put("msgtype", "image").put("link", new JsonObject()));
    String bad = error(() -> new WecomContent("hi", mismatched));
    assertTrue(bad.startsWith("attachments[0] must be {\"msgtype\": t, t: {...}} with t one of ["), bad);
    assertEquals(new JsonObject().put("attachments", new JsonArray().add(image())),
        new WecomContent(null, new JsonArray().add(image())).writeTo(new JsonObject()), "attachments alone are fine");
  }

  @Test
  void recipientsAndCodesAreRequired() {
    WecomContent hi = WecomContent.text("hi");
    assertEquals("a customer message needs the sender's staff userid",
        error(() -> new CustomerMessage("", List.of("wm1"), hi)));
    assertEquals("a customer message goes to 1 to 10000 external_userid, got 0",
        error(() -> new CustomerMessage("zhangsan", List.of(), hi)));
    assertEquals("a welcome message needs the time its welcome code was received",
        error(() -> new WelcomeMessage("CODE", null, hi)));
    assertEquals("a staff notification goes to 1 to 1000 userids, got 1001",
        error(() -> new StaffNotification(Collections.nCopies(1001, "u"), "hi")));
    assertEquals("a staff notification needs a text", error(() -> new StaffNotification(List.of("u"), null)));
    new WelcomeMessage("CODE", Instant.now(), hi);
  }
}
