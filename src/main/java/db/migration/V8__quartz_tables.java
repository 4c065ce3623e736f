package db.migration;

import io.siyu.db.SqlScript;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Quartz's own tables for its clustered JDBC job store, from the DDL inside the Quartz jar. */
public class V8__quartz_tables extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    SqlScript.run(context.getConnection(), "org/quartz/impl/jdbcjobstore/tables_postgres.sql");
  }
}
