package io.siyu.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned schema files under {@code src/main/resources/db/migration} at start.
 * Flyway takes a database lock, so several Siyu instances starting together migrate once.
 */
public final class Migrations {
  private Migrations() {}

  /** Blocking; returns the schema version now in place. */
  public static String migrate(DataSource dataSource) {
    MigrateResult result = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration") // SQL files and Java migrations (package db.migration)
        .table("siyu_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion;
  }
}
