package io.siyu.journey;

import static java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the journey API reads, straight from Siyu's tables and the engine's (read only, on the
 * non-blocking pool): journeys with their versions, a contact's journeys, and funnels.
 */
public final class JourneyQueries {
  /**
   * A journey as the API shows it, in the order of its JSON; followed by its WHERE or ORDER BY. Its
   * counts come from two aggregates joined by key, not a query per journey: one pass over
   * {@code journey_entries} (entries of all time and of the last 7 days, and those that reached the
   * goal), and the engine's running process instances ({@code act_ru_execution} holds running ones
   * only) by definition. Listing every journey reads every entry once; one journey (a WHERE on the key,
   * which PostgreSQL pushes into the aggregates) reads its own through the entries' key index.
   */
  private static final String JOURNEY = "SELECT j.key, j.name, j.status, j.refused, j.trigger, j.reentry, j.version, "
      + "(SELECT coalesce(jsonb_agg(jsonb_build_object('version', d.version_, 'id', d.id_, 'deployment_id', d.deployment_id_) "
      + "   ORDER BY d.version_ DESC), '[]') FROM act_re_procdef d WHERE d.key_ = j.key) AS versions, "
      + "coalesce(e.entered_total, 0) AS entered, coalesce(e.entered_total, 0) AS entered_total, "
      + "coalesce(e.entered_7d, 0) AS entered_7d, coalesce(r.running_now, 0) AS running_now, "
      + "coalesce(e.goal_conversions, 0) AS goal_conversions, "
      + "j.created_at, j.updated_at "
      + "FROM journeys j "
      + "LEFT JOIN (SELECT journey_key, count(*) AS entered_total, "
      + "  count(*) FILTER (WHERE entered_at >= now() - interval '7 days') AS entered_7d, "
      + "  count(goal_reached_at) AS goal_conversions FROM journey_entries GROUP BY journey_key) e ON e.journey_key = j.key "
      + "LEFT JOIN (SELECT d.key_, count(*) AS running_now FROM act_ru_execution x JOIN act_re_procdef d ON d.id_ = x.proc_def_id_ "
      + "  WHERE x.id_ = x.proc_inst_id_ GROUP BY d.key_) r ON r.key_ = j.key";
  private static final String SET_STATUS = "UPDATE journeys SET status = CASE WHEN status = 'suspended' THEN status "
      + "ELSE $2 END, updated_at = now() WHERE key = $1 RETURNING status";
  /**
   * A contact's entries as the API shows them, in the order of their JSON, and what their current
   * steps are worked out from (the definition and the open steps, not shown).
   */
  private static final String ENTRIES_OF_CONTACT = "SELECT e.journey_key, e.version, e.entry_key, e.process_instance_id, "
      + "e.source, e.entered_at, e.goal, e.goal_reached_at, e.branch, p.state_ AS state, p.end_time_ AS ended_at, "
      + "x.proc_def_id_ AS definition_id, (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.act_id_, "
      + "  'type', a.act_type_, 'name', a.act_name_) ORDER BY a.act_id_), '[]') FROM act_hi_actinst a "
      + "  WHERE a.proc_inst_id_ = x.proc_inst_id_ AND a.end_time_ IS NULL) AS open_steps "
      + "FROM journey_entries e LEFT JOIN act_hi_procinst p ON p.id_ = e.process_instance_id "
      + "LEFT JOIN act_ru_execution x ON x.id_ = e.process_instance_id "
      + "WHERE e.contact_id = $1 ORDER BY e.entered_at DESC, e.id DESC LIMIT 200";
  private static final String[] WORKING_COLUMNS = {"definition_id", "open_steps"};

  /** A funnel's entries: of the journey ($1), optionally of one version ($2) and entered in [$3, $4). */
  private static final String FUNNEL_SCOPE = "j.journey_key = $1 AND ($2::int IS NULL OR j.version = $2) "
      + "AND ($3::timestamptz IS NULL OR j.entered_at >= $3) AND ($4::timestamptz IS NULL OR j.entered_at < $4)";
  private static final String FUNNEL_TOTALS = "SELECT count(*) AS entered, count(j.goal_reached_at) AS goal, "
      + "count(p.end_time_) AS exited FROM journey_entries j "
      + "LEFT JOIN act_hi_procinst p ON p.id_ = j.process_instance_id WHERE " + FUNNEL_SCOPE;
  /** Each flow node as the funnel shows it, in the order of its JSON. */
  private static final String FUNNEL_NODES = "SELECT a.act_id_ AS id, max(a.act_name_) AS name, max(a.act_type_) AS type, "
      + "count(DISTINCT a.proc_inst_id_) AS reached, count(*) FILTER (WHERE a.end_time_ IS NULL) AS waiting "
      + "FROM journey_entries j JOIN act_hi_actinst a ON a.proc_inst_id_ = j.process_instance_id "
      + "WHERE " + FUNNEL_SCOPE + " GROUP BY a.act_id_ ORDER BY reached DESC, a.act_id_";
  private static final String FUNNEL_TOUCHES = "SELECT t.activity_id, t.status, count(*) AS n FROM journey_entries j "
      + "JOIN touches t ON t.process_instance_id = j.process_instance_id WHERE " + FUNNEL_SCOPE
      + " GROUP BY t.activity_id, t.status ORDER BY t.activity_id, t.status";
  private static final String FUNNEL_BRANCHES = "SELECT j.branch, count(*) AS entered, count(j.goal_reached_at) AS goal "
      + "FROM journey_entries j WHERE " + FUNNEL_SCOPE + " AND j.branch IS NOT NULL GROUP BY j.branch ORDER BY j.branch";
  private static final String JOURNEY_EXISTS = "SELECT 1 FROM journeys WHERE key = $1";
  /** The file the engine holds for version $2 of journey $1: the XML as deployed, after Siyu completed it. */
  private static final String VERSION_XML = "SELECT b.bytes_ FROM act_re_procdef d JOIN act_ge_bytearray b "
      + "ON b.deployment_id_ = d.deployment_id_ AND b.name_ = d.resource_name_ WHERE d.key_ = $1 AND d.version_ = $2";

  private final Pool pool;
  private final Vertx vertx;
  private final GatewayWaits gatewayWaits;

  public JourneyQueries(Pool pool, Vertx vertx, Supplier<JourneyFeature> feature) {
    this.pool = pool;
    this.vertx = vertx;
    this.gatewayWaits = new GatewayWaits(() -> feature.get().engine().engine().getRepositoryService());
  }

  public Future<JsonArray> list() {
    return pool.query(JOURNEY + " ORDER BY j.key").execute().map(rows -> Rows.array(rows, RowJson::of));
  }

  public Future<JsonObject> get(String key) {
    return pool.preparedQuery(JOURNEY + " WHERE j.key = $1").execute(Tuple.of(key))
        .map(rows -> Rows.one(rows, "Journey " + key, RowJson::of));
  }

  /** The deployed XML of one version of a journey; a 404 problem when there is no such journey or version. */
  public Future<Buffer> versionXml(String key, long version) {
    if (version > Integer.MAX_VALUE) {
      return Future.failedFuture(Problem.notFound("Version " + version + " of journey " + key));
    }
    return pool.preparedQuery(VERSION_XML).execute(Tuple.of(key, (int) version))
        .map(rows -> Rows.first(rows, "Version " + version + " of journey " + key).getBuffer("bytes_"));
  }

  /** Pauses or activates a journey; one suspended for a refused version stays so until a corrected file is deployed. */
  public Future<JsonObject> setStatus(String key, String status) {
    return pool.preparedQuery(SET_STATUS)
        .execute(Tuple.of(key, status))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.notFound("Journey " + key));
          }
          if (rows.iterator().next().getString("status").equals("suspended")) {
            return Future.failedFuture(new Problem(409, "journey-suspended", "Journey suspended", "Journey " + key
                + " was suspended because its latest version holds what journeys may not (see refused): deploy a corrected file", null));
          }
          return get(key);
        });
  }

  /**
   * A contact's entries, newest first: where each running instance waits now (its open steps, a
   * wait behind an event-based gateway named for itself rather than the gateway), whether it
   * reached its goal, its touches.
   */
  public Future<JsonArray> ofContact(long contactId) {
    return pool.preparedQuery(ENTRIES_OF_CONTACT)
        .execute(Tuple.of(contactId))
        .compose(rows -> {
          List<Row> entries = new ArrayList<>();
          rows.forEach(entries::add);
          boolean atGateway = entries.stream().anyMatch(r -> openSteps(r).stream()
              .anyMatch(step -> GatewayWaits.TYPE.equals(((JsonObject) step).getString("type"))));
          // the waits behind a gateway come from the deployed model, which the engine reads blocking
          return atGateway ? vertx.executeBlocking(() -> entries(entries), false) : Future.succeededFuture(entries(entries));
        });
  }

  private JsonArray entries(List<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(r -> {
      SortedMap<String, String> steps = currentSteps(r);
      String shown = shownStep(steps.keySet(), openSteps(r));
      out.add(RowJson.except(r, WORKING_COLUMNS).put("current_steps", new JsonArray(new ArrayList<>(steps.keySet())))
          .put("current_step_id", shown).put("current_step_name", shown == null ? null : steps.get(shown)));
    });
    return out;
  }

  private static JsonArray openSteps(Row r) {
    return (JsonArray) r.getJson("open_steps");
  }

  /**
   * The step a contact is shown in: the first by id that is not a sub-process holding another open
   * step (inside one, the wait is where the contact is), else the first; null when none is open.
   */
  private static String shownStep(java.util.Set<String> steps, JsonArray open) {
    java.util.Set<String> subProcesses = new java.util.HashSet<>();
    open.forEach(o -> {
      if (((JsonObject) o).getString("type").toLowerCase(java.util.Locale.ROOT).contains("subprocess")) {
        subProcesses.add(((JsonObject) o).getString("id"));
      }
    });
    return steps.stream().filter(id -> !subProcesses.contains(id)).findFirst()
        .orElse(steps.isEmpty() ? null : steps.iterator().next());
  }

  /**
   * The entry's open steps by id, with their names (null for an unnamed element), each event-based
   * gateway replaced by the waits behind it: where the contact waits, as the diagram names it.
   */
  private SortedMap<String, String> currentSteps(Row r) {
    SortedMap<String, String> steps = new TreeMap<>();
    for (Object o : openSteps(r)) {
      JsonObject step = (JsonObject) o;
      if (GatewayWaits.TYPE.equals(step.getString("type"))) {
        gatewayWaits.behind(r.getString("definition_id"), step.getString("id"), step.getString("name"))
            .forEach(w -> steps.put(w.id(), w.name()));
      } else {
        steps.put(step.getString("id"), step.getString("name"));
      }
    }
    return steps;
  }

  /**
   * The funnel of a journey (optionally one version, optionally entries made in [from, to)):
   * entered, every flow node with how many instances reached it and how many wait there now,
   * goal reached and the conversion rate, exited, touches by status per send step, and each A/B
   * branch's conversion.
   */
  public Future<JsonObject> funnel(String key, Integer version, OffsetDateTime from, OffsetDateTime to) {
    Tuple t = Tuple.tuple().addValue(key).addValue(version).addValue(from).addValue(to);
    return pool.preparedQuery(JOURNEY_EXISTS).execute(Tuple.of(key)).compose(found -> {
      if (found.size() == 0) {
        return Future.failedFuture(Problem.notFound("Journey " + key));
      }
      // the bounds used, a plain date resolved: from its midnight, to the midnight after it
      JsonObject out = new JsonObject().put("journey", key).put("version", version)
          .put("from", from == null ? null : ISO_OFFSET_DATE_TIME.format(from))
          .put("to", to == null ? null : ISO_OFFSET_DATE_TIME.format(to));
      return pool.preparedQuery(FUNNEL_TOTALS).execute(t).compose(rows -> {
        Row r = rows.iterator().next();
        long entered = r.getLong("entered");
        long goal = r.getLong("goal");
        out.put("entered", entered).put("goal_reached", goal).put("exited", r.getLong("exited"))
            .put("conversion_rate", rate(goal, entered));
        return pool.preparedQuery(FUNNEL_NODES).execute(t);
      }).compose(rows -> {
        out.put("nodes", Rows.array(rows, RowJson::of));
        return pool.preparedQuery(FUNNEL_TOUCHES).execute(t);
      }).compose(rows -> {
        JsonObject byStep = new JsonObject();
        rows.forEach(r -> {
          JsonObject step = byStep.getJsonObject(r.getString("activity_id"), new JsonObject());
          byStep.put(r.getString("activity_id"), step.put(r.getString("status"), r.getLong("n")));
        });
        out.put("touches", byStep);
        return pool.preparedQuery(FUNNEL_BRANCHES).execute(t);
      }).map(rows -> {
        JsonArray list = new JsonArray();
        rows.forEach(r -> list.add(new JsonObject().put("branch", r.getString("branch")).put("entered", r.getLong("entered"))
            .put("goal_reached", r.getLong("goal")).put("conversion_rate", rate(r.getLong("goal"), r.getLong("entered")))));
        return out.put("branches", list);
      });
    });
  }

  private static double rate(long part, long whole) {
    return whole == 0 ? 0.0 : Math.round(part * 10000.0 / whole) / 10000.0;
  }
}
