package io.siyu.schedule;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule_runs log, written on Quartz's threads: a row when a run starts (which instance, for
 * which firing) and its outcome when it ends. Failing to log never fails the run itself.
 */
final class ScheduleRuns {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRuns.class);
  private static final String STARTED = "INSERT INTO schedule_runs (job, scheduled_for, instance) VALUES (?, ?, ?) RETURNING id";
  private static final String ENDED = "UPDATE schedule_runs SET finished_at = now(), status = ?, result = ?::jsonb, "
      + "error = ? WHERE id = ?";
  /** A job's runs as the API shows them, in the order of their JSON; followed by the page's conditions and order. */
  static final String RUNS_OF_JOB = "SELECT id, job, scheduled_for, instance, started_at, finished_at, status, result, "
      + "error FROM schedule_runs WHERE job = $1 AND ";
  private final DataSource jdbc;

  ScheduleRuns(DataSource jdbc) {
    this.jdbc = jdbc;
  }

  long started(String job, Instant firing, String instance) {
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(STARTED)) {
      st.setString(1, job);
      st.setTimestamp(2, Timestamp.from(firing));
      st.setString(3, instance);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      log.warn("Could not record the start of {}: {}", job, e.getMessage());
      return -1;
    }
  }

  void finished(long run, Object result) {
    String json = result instanceof JsonObject j ? j.encode()
        : new JsonObject().put("result", result == null ? null : String.valueOf(result)).encode();
    end(run, "done", json, null);
  }

  void failed(long run, Exception error) {
    end(run, "failed", null, String.valueOf(error));
  }

  private void end(long run, String status, String result, String error) {
    if (run < 0) {
      return;
    }
    try (Connection c = jdbc.getConnection(); PreparedStatement st = c.prepareStatement(ENDED)) {
      st.setString(1, status);
      st.setString(2, result);
      st.setString(3, error);
      st.setLong(4, run);
      st.executeUpdate();
    } catch (SQLException e) {
      log.warn("Could not record the end of run {}: {}", run, e.getMessage());
    }
  }
}
