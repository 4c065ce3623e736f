package db.migration;

import io.siyu.db.SqlScript;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The Camunda 7 engine's runtime and history tables, from the DDL inside the engine jar, so the
 * engine itself never changes the schema (it starts with schema update off and only checks the
 * version). CMMN, DMN and Camunda's identity tables are not used by Siyu and not created. A
 * Camunda upgrade adds a migration that runs the engine's upgrade script.
 */
public class V9__camunda_tables extends BaseJavaMigration {
  private static final String DIR = "org/camunda/bpm/engine/db/create/activiti.postgres.create.";

  @Override
  public void migrate(Context context) throws Exception {
    SqlScript.run(context.getConnection(), DIR + "engine.sql");
    SqlScript.run(context.getConnection(), DIR + "history.sql");
  }
}
