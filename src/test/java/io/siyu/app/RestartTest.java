package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded database keeps its data under SIYU_DATA_DIR across a restart, and an import that a
 * stop interrupted resumes after the last committed row at the next start.
 */
class RestartTest {

  @Test
  void dataAndInterruptedImportsSurviveARestart() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SIYU_DB_URL", ""); // always the embedded database, even when the suite runs on an external one
    Config config = TestSiyu.freshConfig(env);

    Siyu first = TestSiyu.start(config);
    long contactId;
    Path pending = config.dataDir().resolve("imports").resolve("interrupted.csv");
    try {
      assertDurable(first);
      Api api = TestSiyu.admin(first);
      Reply created = api.post("/api/v1/contacts", new JsonObject().put("mobile", "13811112222").put("name", "持久"));
      assertEquals(201, created.status());
      contactId = created.json().getLong("id");
      // an import the previous run accepted and had committed two rows of when it stopped
      Files.createDirectories(pending.getParent());
      Files.writeString(pending, "email,name\nr1@x.cn,one\nr2@x.cn,two\nr3@x.cn,three\nr4@x.cn,four\n");
      try (Connection c = first.database().jdbc().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO imports (format, status, file_path, file_bytes, "
              + "rows_done, rows_inserted, created_by) VALUES ('csv', 'running', ?, 10, 2, 2, 'test')")) {
        ps.setString(1, pending.toString());
        ps.executeUpdate();
      }
    } finally {
      TestSiyu.stop(first);
    }

    Siyu second = TestSiyu.start(config);
    try {
      Api api = TestSiyu.admin(second);
      Reply again = api.get("/api/v1/contacts/" + contactId);
      assertEquals(200, again.status(), again.toString());
      assertEquals("持久", again.json().getString("name"));

      JsonObject job = api.awaitImport(api.latestImportId());
      assertEquals("done", job.getString("status"), job.encode());
      assertEquals(4, job.getInteger("rows_done"));
      assertEquals(4, job.getInteger("rows_inserted"));
      assertEquals(0, api.get("/api/v1/contacts?email=r1@x.cn").items().size(), "committed rows are not redone");
      assertEquals(1, api.get("/api/v1/contacts?email=r3@x.cn").items().size());
      assertEquals(1, api.get("/api/v1/contacts?email=r4@x.cn").items().size());
      assertTrue(Files.notExists(pending), "a finished import's file is removed");
    } finally {
      TestSiyu.stop(second);
    }
  }

  /** What was acknowledged must survive a crash: the embedded server syncs every commit to disk. */
  private static void assertDurable(Siyu siyu) throws Exception {
    try (Connection c = siyu.database().jdbc().getConnection();
        var st = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        var rs = st.executeQuery("SHOW " + setting);
        rs.next();
        assertEquals("on", rs.getString(1), setting);
      }
    }
  }
}
