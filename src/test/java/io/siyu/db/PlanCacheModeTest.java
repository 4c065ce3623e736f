package io.siyu.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.Await;
import io.siyu.support.TestSiyu;
import org.junit.jupiter.api.Test;

/**
 * The JDBC pool (the journey engine's) and the outbox dispatcher's pool plan each prepared
 * statement once; the shared pool, which also runs segment filters whose best plan depends on the
 * values, keeps PostgreSQL's own choice.
 */
class PlanCacheModeTest {
  @Test
  void theEnginesConnectionsUseGenericPlans() throws Exception {
    try (var conn = TestSiyu.get().database().jdbc().getConnection();
        var st = conn.createStatement();
        var rs = st.executeQuery("SHOW plan_cache_mode")) {
      rs.next();
      assertEquals("force_generic_plan", rs.getString(1));
    }
  }

  @Test
  void theDispatchersConnectionsUseGenericPlansAndTheSharedPoolDoesNot() throws Exception {
    var services = TestSiyu.get().services();
    assertEquals("force_generic_plan", show(services.outboxPool(), "plan_cache_mode"));
    assertEquals("auto", show(services.pool(), "plan_cache_mode"));
  }

  /**
   * The claims and reservations made before a send may be lost with a crash of the database (the
   * touch is then sent again), so they do not wait for the disk; results do, and nothing else is
   * changed.
   */
  @Test
  void onlyTheDispatchersClaimsCommitWithoutWaitingForTheDisk() throws Exception {
    var services = TestSiyu.get().services();
    assertEquals("off", show(services.outboxPool(), "synchronous_commit"));
    assertEquals("on", show(services.outboxRecordPool(), "synchronous_commit"));
    assertEquals("force_generic_plan", show(services.outboxRecordPool(), "plan_cache_mode"));
    assertEquals("on", show(services.pool(), "synchronous_commit"));
  }

  private static String show(io.vertx.sqlclient.Pool pool, String setting) {
    return Await.result(pool.query("SHOW " + setting).execute()).iterator().next().getString(0);
  }

  @Test
  void aTransactionCanAskForGenericPlansAndTheConnectionForgetsItAfterwards() throws Exception {
    var pool = TestSiyu.get().services().pool();
    // one connection throughout, so "afterwards" is the same session the setting was made in
    var modes = Await.result(pool.withConnection(conn -> conn.begin()
        .compose(tx -> GenericPlans.forThisTransaction(conn)
            .compose(v -> conn.query("SHOW plan_cache_mode").execute())
            .compose(inside -> tx.commit().map(inside.iterator().next().getString(0))))
        .compose(inside -> conn.query("SHOW plan_cache_mode").execute()
            .map(after -> java.util.List.of(inside, after.iterator().next().getString(0))))));
    assertEquals(java.util.List.of("force_generic_plan", "auto"), modes);
  }
}
