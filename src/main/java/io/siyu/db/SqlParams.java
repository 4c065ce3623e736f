package io.siyu.db;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Positional parameters for SQL built from validated input: every value goes through
 * {@link #add}, which hands back its {@code $n} placeholder, so no user value is ever spliced
 * into SQL text.
 */
public final class SqlParams {
  private final List<Object> values = new ArrayList<>();

  public SqlParams() {}

  /** Starts numbering after values the caller binds itself ($1..$n of a fixed prefix). */
  public static SqlParams startingWith(Object... prefix) {
    SqlParams p = new SqlParams();
    for (Object o : prefix) {
      p.values.add(o);
    }
    return p;
  }

  public String add(Object value) {
    values.add(value);
    return "$" + values.size();
  }

  public int size() {
    return values.size();
  }

  public List<Object> values() {
    return values;
  }

  public Tuple tuple() {
    return Tuple.wrap(new ArrayList<>(values));
  }
}
