package io.siyu.user;

import io.siyu.support.Api;
import io.siyu.support.Await;
import io.siyu.support.TestSiyu;
import io.siyu.support.Unique;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/** People made for a test on the shared server, and the database's clock moved for one of them. */
final class TestPeople {
  static final String PASSWORD = "correct horse battery staple";

  private TestPeople() {}

  /** A new person of {@code role} with {@link #PASSWORD}, made with the admin token; their JSON. */
  static JsonObject make(String role) {
    Api.Reply r = TestSiyu.admin().post("/api/v1/users", new JsonObject().put("email", email())
        .put("display_name", "Person " + role).put("role", role).put("password", PASSWORD));
    if (r.status() != 201) {
      throw new AssertionError(r.toString());
    }
    return r.json();
  }

  static String email() {
    return "p" + Unique.unique() + "@example.com";
  }

  /**
   * Runs {@code sql} on the shared server's database ({@code $1} is {@code arg}): how a test lets time
   * pass for one session or lock without waiting for it.
   */
  static void sql(String sql, Object arg) {
    Await.result(TestSiyu.get().services().pool().preparedQuery(sql).execute(Tuple.of(arg)));
  }
}
