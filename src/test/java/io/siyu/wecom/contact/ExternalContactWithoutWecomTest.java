package io.siyu.wecom.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Without WeCom's customer-contact secret (the shared server has none) callbacks still make
 * contacts, relations and events; there is just no profile to read.
 */
class ExternalContactWithoutWecomTest {
  private static final Api api = TestSiyu.admin();

  @Test
  void addsAndEditsWorkWithoutReadingProfiles() {
    String customer = "wm-nowecom-" + UUID.randomUUID();
    ContactCallbacks.handle(TestSiyu.get(), ContactCallbacks.add("zhouba", customer, null, null));
    WecomCallback edited = ContactCallbacks.of("edit_external_contact", "zhouba", customer);
    ContactCallbacks.handle(TestSiyu.get(), edited);

    JsonObject contact = api.get("/api/v1/contacts?external_userid=" + customer).items().getJsonObject(0);
    assertEquals("zhouba", contact.getString("owner_staff_id"));
    JsonObject side = api.get("/api/v1/contacts/" + contact.getLong("id") + "/wecom").json();
    assertNull(side.getJsonObject("profile"));
    assertEquals("active", side.getJsonArray("follows").getJsonObject(0).getString("status"));
    assertEquals("wecom.contact_edited", api.get("/api/v1/events/wecom:" + edited.id()).json().getString("type"));
    assertEquals(404, api.get("/api/v1/contacts/999999999/wecom").status());
  }
}
