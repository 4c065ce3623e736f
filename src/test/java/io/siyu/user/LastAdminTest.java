package io.siyu.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api;
import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** There is always an enabled admin person: the last one cannot be disabled or demoted, until there is another. */
class LastAdminTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  @Test
  void theLastAdminStaysAnAdminUntilThereIsAnother() {
    Api admin = server.api();
    JsonObject bootstrap = admin.get("/api/v1/users?sort=id").json().getJsonArray("items").getJsonObject(0);
    assertEquals("admin", bootstrap.getString("role"));
    String path = "/api/v1/users/" + bootstrap.getLong("id");

    for (JsonObject change : new JsonObject[] {new JsonObject().put("disabled", true), new JsonObject().put("role", "operator")}) {
      Api.Reply refused = admin.patch(path, change);
      assertEquals(409, refused.status(), refused.body());
      assertTrue(refused.json().getString("type").endsWith("conflict"), refused.body());
      assertTrue(refused.json().getString("detail").contains("last enabled admin"), refused.body());
    }
    JsonObject unchanged = admin.get(path).json();
    assertEquals("admin", unchanged.getString("role"));
    assertFalse(unchanged.getBoolean("disabled"));
    // a change that keeps them an admin goes through
    assertEquals(200, admin.patch(path, new JsonObject().put("display_name", "First admin")).status());

    Api.Reply second = admin.post("/api/v1/users", new JsonObject().put("email", "second-admin@example.com")
        .put("display_name", "Second").put("role", "admin").put("password", "a second admin passphrase"));
    assertEquals(201, second.status(), second.body());
    Api.Reply disabled = admin.patch(path, new JsonObject().put("disabled", true));
    assertEquals(200, disabled.status(), disabled.body());
    assertTrue(disabled.json().getBoolean("disabled"));
    // and now the second is the last one
    Api.Reply refused = admin.patch("/api/v1/users/" + second.json().getLong("id"), new JsonObject().put("role", "manager"));
    assertEquals(409, refused.status(), refused.body());
  }
}
