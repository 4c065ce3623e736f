package io.siyu.user;

import io.siyu.auth.Role;
import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.Table;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The people who sign in: made and changed by admins; each changes their own password. */
public final class UserService {
  /** A user as the API shows it (never the password hash), in the order of its JSON. */
  static final String COLUMNS = "id, email, display_name, role, disabled, created_at, last_sign_in_at";
  private static final String INSERT = "INSERT INTO users (email, display_name, role, password_hash) "
      + "VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  /**
   * The change, and in the same statement the end of the person's sessions when it disables them or
   * changes their role (a session must not keep rights its person no longer has).
   */
  private static final String CHANGE = "WITH old AS (SELECT id, role FROM users WHERE id = $1 FOR UPDATE), "
      + "changed AS (UPDATE users u SET display_name = coalesce($2, u.display_name), role = coalesce($3, u.role), "
      + "disabled = coalesce($4, u.disabled), updated_at = now() FROM old WHERE u.id = old.id "
      + "RETURNING u.*, (u.role <> old.role OR u.disabled) AS ends_sessions), "
      + "ended AS (DELETE FROM user_sessions s USING changed WHERE s.user_id = changed.id AND changed.ends_sessions) "
      + "SELECT " + COLUMNS + " FROM changed";
  /**
   * The enabled admins, locked (in id order, like every writer of users) for the change that may
   * leave none: two admins demoting each other at once then take turns, and the second sees the first's change.
   */
  private static final String ADMINS = "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE";
  /** What sign-in needs of a person, found by email whatever its case. */
  private static final String FOR_SIGN_IN = "SELECT id, email, role, password_hash, disabled FROM users "
      + "WHERE lower(email) = lower($1)";
  private static final String PASSWORD_OF = "SELECT password_hash FROM users WHERE id = $1";
  private static final String SET_PASSWORD = "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1";
  private static final String ANY_USER = "SELECT EXISTS (SELECT 1 FROM users) AS any";
  /** The first person, made only while there is none; of two instances starting at once one makes it. */
  private static final String BOOTSTRAP = "INSERT INTO users (email, display_name, role, password_hash, bootstrap) "
      + "SELECT $1, 'Admin', 'admin', $2, true WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT DO NOTHING RETURNING id";

  /** Newest first by default; by email or name to find one. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "id"), Sorts.text("email", "email"),
      Sorts.text("display_name", "display_name"), Sorts.time("created_at", "created_at"));

  /** A person as sign-in sees them. */
  record Account(long id, String email, io.siyu.auth.Role role, String passwordHash, boolean disabled) {}

  private final Pool pool;
  private final Passwords passwords;
  private final Table table;

  UserService(Pool pool, Passwords passwords) {
    this.pool = pool;
    this.passwords = passwords;
    this.table = new Table(pool, "users", COLUMNS, "User", RowJson::of);
  }

  Future<JsonObject> create(UserInput.NewUser u) {
    return passwords.hash(u.password())
        .compose(phc -> pool.preparedQuery(INSERT).execute(Tuple.of(u.email(), u.displayName(), u.role().wire(), phc)))
        .map(rows -> RowJson.of(rows.iterator().next()))
        .recover(Rows.conflictOnDuplicate("A user with the email " + u.email() + " exists (emails are compared ignoring case)"));
  }

  Future<JsonObject> list(Page page) {
    return table.page(page);
  }

  public Future<JsonObject> get(long id) {
    return table.get(id);
  }

  /**
   * Changes a person. A change that would leave no enabled admin person (the last one disabled or
   * given another role) is a 409 and changes nothing: no one could then manage people from the console.
   */
  Future<JsonObject> change(long id, UserInput.Change c) {
    boolean mayEndAnAdmin = Boolean.TRUE.equals(c.disabled()) || (c.role() != null && c.role() != Role.ADMIN);
    return pool.withTransaction(conn -> (mayEndAnAdmin ? keepsAnAdmin(conn, id) : Future.<Void>succeededFuture())
        .compose(v -> conn.preparedQuery(CHANGE)
            .execute(Tuple.from(Arrays.asList(id, c.displayName(), c.role() == null ? null : c.role().wire(), c.disabled()))))
        .map(rows -> Rows.one(rows, "User " + id, RowJson::of)));
  }

  private static Future<Void> keepsAnAdmin(SqlConnection conn, long id) {
    return conn.query(ADMINS).execute().compose(rows -> {
      List<Long> admins = new ArrayList<>();
      rows.forEach(r -> admins.add(r.getLong("id")));
      if (admins.size() == 1 && admins.get(0) == id) {
        return Future.failedFuture(Problem.conflict("User " + id + " is the last enabled admin: make another admin "
            + "first, then disable this one or change its role", new JsonObject().put("user_id", id)));
      }
      return Future.succeededFuture();
    });
  }

  /** The person with {@code email}, or null when no one has it. */
  Future<Account> forSignIn(String email) {
    return pool.preparedQuery(FOR_SIGN_IN).execute(Tuple.of(email.strip())).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Account(r.getLong("id"), r.getString("email"), io.siyu.auth.Role.fromWire(r.getString("role")),
          r.getString("password_hash"), r.getBoolean("disabled"));
    });
  }

  Future<String> passwordHash(long id) {
    return pool.preparedQuery(PASSWORD_OF).execute(Tuple.of(id))
        .map(rows -> Rows.first(rows, "User " + id).getString("password_hash"));
  }

  /** Stores a new password (already checked against the policy) as its hash. */
  Future<Void> setPassword(long id, String password) {
    return passwords.hash(password).compose(phc -> storeHash(id, phc));
  }

  Future<Void> storeHash(long id, String phc) {
    return pool.preparedQuery(SET_PASSWORD).execute(Tuple.of(id, phc)).mapEmpty();
  }

  /**
   * Makes the first person, an admin, when there is none yet: with {@code configured} as the
   * password, else a generated one. Answers the generated password (for the start banner, the one
   * place it is ever shown), or null when nothing was generated or no one was made.
   */
  Future<String> bootstrap(String email, String configured) {
    return pool.query(ANY_USER).execute().compose(rows -> {
      if (rows.iterator().next().getBoolean("any")) {
        return Future.succeededFuture(null);
      }
      String password = configured != null ? configured : GeneratedPassword.make();
      return passwords.hash(password)
          .compose(phc -> pool.preparedQuery(BOOTSTRAP).execute(Tuple.of(email, phc)))
          .map(made -> made.size() > 0 && configured == null ? password : null);
    });
  }
}
