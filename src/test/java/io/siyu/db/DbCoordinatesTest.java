package io.siyu.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.siyu.db.Database.DbCoordinates;
import org.junit.jupiter.api.Test;

class DbCoordinatesTest {
  @Test
  void parsesAPostgresqlUrl() {
    DbCoordinates c = DbCoordinates.parse("postgresql://siyu:p%40ss@db.internal:6543/members");
    assertEquals("db.internal", c.host());
    assertEquals(6543, c.port());
    assertEquals("members", c.database());
    assertEquals("siyu", c.user());
    assertEquals("p@ss", c.password());
    assertEquals("jdbc:postgresql://db.internal:6543/members", c.jdbcUrl());
  }

  @Test
  void defaultsPortAndDatabase() {
    DbCoordinates c = DbCoordinates.parse("postgres://siyu@localhost");
    assertEquals(5432, c.port());
    assertEquals("siyu", c.database());
  }

  @Test
  void rejectsOtherSchemes() {
    assertThrows(IllegalArgumentException.class, () -> DbCoordinates.parse("mysql://x@y/z"));
  }
}
