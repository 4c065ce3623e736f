package io.siyu.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A DDL script shipped inside a library's jar (Quartz, Camunda), run statement by statement by a
 * Flyway Java migration, so the schema always matches the library version in use. DROPs and a
 * closing COMMIT are left out: a migration never drops anything and Flyway owns the transaction.
 */
public final class SqlScript {
  private SqlScript() {}

  /** Runs every statement of the classpath resource {@code resource} on {@code connection}. */
  public static void run(Connection connection, String resource) throws IOException, SQLException {
    try (Statement st = connection.createStatement()) {
      for (String statement : statements(read(resource))) {
        st.execute(statement);
      }
    }
  }

  static String read(String resource) throws IOException {
    try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The script's statements, without comments, DROPs and COMMIT. */
  public static List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return Arrays.stream(sql.toString().split(";"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .filter(s -> !s.toUpperCase(Locale.ROOT).startsWith("DROP "))
        .filter(s -> !s.equalsIgnoreCase("COMMIT"))
        .toList();
  }
}
