package io.siyu.imports;

/**
 * The statements of import jobs and their rejected lines (merging contacts is {@link ImportBatch}'s).
 * The job runs on JDBC ({@code ?} placeholders), the API on the Vert.x pool ({@code $n}).
 */
final class ImportSql {
  private ImportSql() {}

  /** A job as the API shows it, in the order of its JSON (its {@code percent} is worked out from two of them). */
  static final String COLUMNS = "id, format, status, file_bytes, total_rows, rows_done, rows_inserted, "
      + "rows_updated, rows_rejected, error, created_by, created_at, started_at, finished_at";
  static final String INSERT_JOB = "INSERT INTO imports (format, file_path, file_bytes, created_by) VALUES ($1, $2, $3, $4) "
      + "RETURNING " + COLUMNS;
  static final String UNFINISHED_JOBS = "SELECT id, file_path, format FROM imports WHERE status IN ('queued', 'running') "
      + "ORDER BY id";

  /** One runner per job across instances: an advisory lock on the job's id. */
  static final String TRY_LOCK = "SELECT pg_try_advisory_lock(7353, ?::int)";
  static final String START = "UPDATE imports SET status = 'running', "
      + "started_at = coalesce(started_at, now()), total_rows = ? WHERE id = ? "
      + "RETURNING rows_done, rows_inserted, rows_updated, rows_rejected";
  static final String RECORD_PROGRESS = "UPDATE imports SET rows_done = ?, rows_inserted = ?, "
      + "rows_updated = ?, rows_rejected = ? WHERE id = ?";
  /** Keeps a rejected line while the job has fewer than the most it keeps. */
  static final String KEEP_REJECTION = "INSERT INTO import_rejections (import_id, line_no, reason, errors) "
      + "SELECT ?, ?, ?, ?::jsonb WHERE (SELECT count(*) FROM import_rejections WHERE import_id = ?) < ? "
      + "ON CONFLICT DO NOTHING";
  static final String FINISH = "UPDATE imports SET status = ?, error = ?, "
      + "finished_at = now(), total_rows = CASE WHEN ? = 'done' THEN rows_done ELSE total_rows END WHERE id = ?";

  /** A rejected line's bad cells; lines rejected before the cells were listed carry their one reason, without a field. */
  private static final String ERRORS = "coalesce(r.errors, jsonb_build_array(jsonb_build_object('field', NULL, "
      + "'reason', r.reason)))";
  /** Followed by the page's conditions and order. */
  static final String REJECTIONS_WHERE = "SELECT r.line_no AS line, r.reason, " + ERRORS + " AS errors "
      + "FROM import_rejections r WHERE r.import_id = $1 AND ";
  /** A row per bad cell, in file order. */
  static final String REJECTIONS_CSV = "SELECT r.line_no, e.error->>'field' AS field, e.error->>'reason' AS reason "
      + "FROM import_rejections r, jsonb_array_elements(" + ERRORS + ") WITH ORDINALITY AS e (error, n) "
      + "WHERE r.import_id = $1 ORDER BY r.line_no, e.n";
}
