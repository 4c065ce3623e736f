package io.siyu.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.TestSiyu;
import org.junit.jupiter.api.Test;

/** The JDBC pool, the journey engine's, plans each prepared statement once (see Database.jdbcPool). */
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
}
