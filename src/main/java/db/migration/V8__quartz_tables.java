package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Quartz's own tables for its clustered JDBC job store, created from the DDL that ships inside the
 * Quartz jar (so the schema always matches the Quartz version in use). Its DROP statements are
 * left out: a migration never drops anything.
 */
public class V8__quartz_tables extends BaseJavaMigration {
  private static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement st = context.getConnection().createStatement()) {
      for (String statement : statements(read())) {
        st.execute(statement);
      }
    }
  }

  private static String read() throws IOException {
    try (InputStream in = V8__quartz_tables.class.getClassLoader().getResourceAsStream(DDL)) {
      if (in == null) {
        throw new IllegalStateException(DDL + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The script's statements, without comments, DROPs and the closing COMMIT. */
  static java.util.List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return java.util.Arrays.stream(sql.toString().split(";"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .filter(s -> !s.toUpperCase(java.util.Locale.ROOT).startsWith("DROP "))
        .filter(s -> !s.equalsIgnoreCase("COMMIT"))
        .toList();
  }
}
