package io.siyu.journey;

import io.siyu.auth.Access;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.siyu.segment.SegmentService;
import io.siyu.web.Bodies;
import io.siyu.web.JsonValues;
import io.siyu.web.Params;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * {@code /api/v1/journeys}: deploy (the BPMN file as the body), list, read, pause and activate,
 * start manually for one contact or a saved segment, cancel an instance, and the funnel; and
 * {@code /api/v1/contacts/{id}/journeys}. Engine calls run on worker threads.
 */
public final class JourneyRoutes {
  private static final int MAX_SEGMENT_START = 10_000;
  private static final String CONTACT = "SELECT id, timezone FROM contacts WHERE id = $1";
  /** One more than may start, so too many is known; {@code %s} is the segment's condition over {@code contacts c}. */
  private static final String SEGMENT_CONTACTS = "SELECT c.id, c.timezone FROM contacts c WHERE %s ORDER BY c.id LIMIT "
      + (MAX_SEGMENT_START + 1);

  private JourneyRoutes() {}

  /**
   * {@code zone} is SIYU_DEFAULT_TIMEZONE, in which the funnel reads plain dates: {@code from=2026-12-01}
   * is that day's midnight, {@code to=2026-12-01} the next midnight (the whole day included).
   */
  public static void mount(Router api, Vertx vertx, Pool pool, Supplier<JourneyFeature> feature, SegmentService segments,
      ZoneId zone) {
    JourneyQueries queries = new JourneyQueries(pool, vertx, feature);
    api.post("/journeys").handler(Access.WRITE).handler(ctx -> {
      String xml = journeyFile(ctx);
      vertx.executeBlocking(() -> feature.get().deployer().deploy(xml), false)
          .onSuccess(r -> Bodies.json(ctx, r.getBoolean("changed") ? 201 : 200, r)).onFailure(ctx::fail);
    });
    api.post("/journeys/validate").handler(Access.WRITE).handler(ctx -> {
      String xml = journeyFile(ctx);
      vertx.executeBlocking(() -> feature.get().deployer().validate(xml), false)
          .onSuccess(j -> Bodies.ok(ctx, new JsonObject().put("ok", true).put("key", j.key()).put("name", j.name())))
          .onFailure(ctx::fail);
    });
    api.get("/journeys").handler(Access.READ).handler(ctx ->
        queries.list().onSuccess(list -> Bodies.ok(ctx, new JsonObject().put("items", list))).onFailure(ctx::fail));
    // before /journeys/:key, which would take "samples" for a key (deploy refuses it as one)
    api.get("/journeys/samples").handler(Access.READ).handler(ctx -> Bodies.ok(ctx, feature.get().samples().list()));
    api.get("/journeys/samples/:name").handler(Access.READ).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/xml; charset=utf-8").end(feature.get().samples().xml(ctx.pathParam("name"))));
    api.get("/journeys/:key").handler(Access.READ).handler(ctx ->
        queries.get(ctx.pathParam("key")).onSuccess(j -> Bodies.ok(ctx, j)).onFailure(ctx::fail));
    api.get("/journeys/:key/versions/:version/bpmn").handler(Access.READ).handler(ctx ->
        queries.versionXml(ctx.pathParam("key"), Bodies.id(ctx, "version", "Version of journey " + ctx.pathParam("key")))
            .onSuccess(xml -> ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(xml))
            .onFailure(ctx::fail));
    api.post("/journeys/:key/pause").handler(Access.WRITE).handler(ctx -> status(ctx, queries, feature, "paused"));
    api.post("/journeys/:key/activate").handler(Access.WRITE).handler(ctx -> status(ctx, queries, feature, "active"));
    api.get("/journeys/:key/funnel").handler(Access.READ).handler(ctx -> {
      var params = ctx.queryParams();
      params.names().stream().filter(n -> !Set.of("version", "from", "to").contains(n)).findFirst().ifPresent(n -> {
        throw Problem.invalid(n, "is not a filter of the funnel (version, from, to)");
      });
      Long version = Params.positiveId(params, "version");
      OffsetDateTime from = Params.rangeStart(params, "from", zone);
      OffsetDateTime to = Params.rangeEnd(params, "to", zone);
      if (from != null && to != null && !from.isBefore(to)) {
        throw Problem.invalid("from", "must be before to");
      }
      queries.funnel(ctx.pathParam("key"), version == null ? null : version.intValue(), from, to)
          .onSuccess(f -> Bodies.ok(ctx, f)).onFailure(ctx::fail);
    });
    api.post("/journeys/:key/start").handler(Access.WRITE).handler(ctx -> start(ctx, vertx, pool, feature, segments));
    // {"from_version": n, "to_version": m}, both optional: every older version to the latest
    api.post("/journeys/:key/migrate").handler(Access.WRITE).handler(ctx -> {
      JsonObject body = Bodies.object(ctx);
      body.fieldNames().stream().filter(f -> !Set.of("from_version", "to_version").contains(f)).findFirst()
          .ifPresent(f -> { throw Problem.invalid(f, "is not a field of a migration (from_version, to_version)"); });
      Integer from = version(body, "from_version");
      Integer to = version(body, "to_version");
      vertx.executeBlocking(() -> feature.get().migration().migrate(ctx.pathParam("key"), from, to), false)
          .onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail);
    });
    api.delete("/journeys/instances/:id").handler(Access.WRITE).handler(ctx -> {
      String id = ctx.pathParam("id");
      vertx.executeBlocking(() -> {
        var runtime = feature.get().engine().engine().getRuntimeService();
        if (runtime.createProcessInstanceQuery().processInstanceId(id).count() == 0) {
          throw Problem.notFound("Running journey instance " + id);
        }
        runtime.deleteProcessInstance(id, "cancelled through the API");
        return null;
      }, false).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail);
    });
    api.get("/contacts/:id/journeys").handler(Access.READ).handler(ctx ->
        queries.ofContact(Bodies.id(ctx, "id", "Contact"))
            .onSuccess(list -> Bodies.ok(ctx, new JsonObject().put("items", list))).onFailure(ctx::fail));
  }

  /** The BPMN file a deploy or a validation sends as its body. */
  private static String journeyFile(RoutingContext ctx) {
    String xml = ctx.body().asString();
    if (xml == null || xml.isBlank()) {
      throw Problem.badRequest("Send the journey's BPMN file as the request body");
    }
    return xml;
  }

  private static void status(RoutingContext ctx, JourneyQueries queries, Supplier<JourneyFeature> feature, String status) {
    queries.setStatus(ctx.pathParam("key"), status).onSuccess(j -> {
      feature.get().registry().forget();
      Bodies.ok(ctx, j);
    }).onFailure(ctx::fail);
  }

  /** {@code {"contact_id": n}} or {@code {"segment_id": n}}: answers how many entered and how many had entered before. */
  private static void start(RoutingContext ctx, Vertx vertx, Pool pool, Supplier<JourneyFeature> feature, SegmentService segments) {
    JsonObject body = Bodies.object(ctx);
    String key = ctx.pathParam("key");
    body.fieldNames().stream().filter(f -> !Set.of("contact_id", "segment_id").contains(f)).findFirst()
        .ifPresent(f -> { throw Problem.invalid(f, "is not a field of a start (contact_id or segment_id)"); });
    boolean one = body.containsKey("contact_id");
    if (one == body.containsKey("segment_id")) {
      throw Problem.invalid("body", "send exactly one of contact_id or segment_id, as a number");
    }
    String field = one ? "contact_id" : "segment_id";
    Long id = JsonValues.positiveId(body.getValue(field));
    if (id == null) {
      throw Problem.invalid(field, "must be a positive id");
    }
    // the registry may read the database (its cache is short-lived): look the journey up on a worker
    vertx.executeBlocking(() -> activeJourney(feature.get().registry(), key), false)
        .compose(journey -> (one ? exists(pool, id) : segmentContacts(pool, segments, id))
            .compose(ids -> vertx.executeBlocking(() -> enterAll(feature.get(), journey, ids), false)))
        .onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail);
  }

  private static Integer version(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer i) || i < 1) {
      throw Problem.invalid(field, "must be a version number (1 or more)");
    }
    return i;
  }

  private static JourneyRegistry.Entry activeJourney(JourneyRegistry registry, String key) {
    JourneyRegistry.Entry journey = registry.get(key);
    if (journey == null) {
      throw Problem.notFound("Journey " + key);
    }
    if (!journey.active()) {
      throw new Problem(409, "journey-" + journey.status(), "Journey " + journey.status(),
          "Journey " + key + " is " + journey.status() + ": it takes no new entries", null);
    }
    return journey;
  }

  /** Blocking: enters each contact; answers how many entered and how many had entered before. */
  private static JsonObject enterAll(JourneyFeature feature, JourneyRegistry.Entry journey, List<Audience> audience) {
    java.time.Instant now = ClockUtil.getCurrentTime().toInstant();
    int entered = 0;
    List<String> instances = new ArrayList<>();
    for (Audience a : audience) {
      // the policy's period is the contact's own day ("once a day" ends at their midnight)
      LocalDate today = now.atZone(io.siyu.locale.TimeZones.of(a.timezone())).toLocalDate();
      String pi;
      try {
        pi = feature.entries().enter(journey, a.id(),
            journey.trigger().reentry().entryKey(today, "manual:" + UUID.randomUUID()), "manual", Map.of());
      } catch (org.camunda.bpm.engine.SuspendedEntityInteractionException e) {
        // another instance suspended the version (its registry cache here is up to 2 s old)
        throw new Problem(409, "journey-suspended", "Journey suspended", "Journey " + journey.key()
            + " is suspended: it takes no new entries", null);
      }
      if (pi != null) {
        entered++;
        if (instances.size() < 100) {
          instances.add(pi);
        }
      }
    }
    return new JsonObject().put("matched", audience.size()).put("entered", entered)
        .put("already_entered", audience.size() - entered).put("process_instance_ids", instances);
  }

  /** A contact to start, with the time zone its re-entry day is counted in. */
  private record Audience(long id, String timezone) {}

  private static Future<List<Audience>> exists(Pool pool, long contactId) {
    return pool.preparedQuery(CONTACT).execute(io.vertx.sqlclient.Tuple.of(contactId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw Problem.notFound("Contact " + contactId);
          }
          return List.of(new Audience(contactId, rows.iterator().next().getString("timezone")));
        });
  }

  private static Future<List<Audience>> segmentContacts(Pool pool, SegmentService segments, long segmentId) {
    SqlParams p = new SqlParams();
    return segments.condition(segmentId, p).compose(cond -> pool.preparedQuery(String.format(SEGMENT_CONTACTS, cond))
            .execute(p.tuple()))
        .map(rows -> {
          List<Audience> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(new Audience(r.getLong("id"), r.getString("timezone"))));
          if (ids.size() > MAX_SEGMENT_START) {
            throw Problem.invalid("segment_id", "matches more than " + MAX_SEGMENT_START
                + " contacts: use a segment trigger or a schedule for audiences this large");
          }
          return ids;
        });
  }
}
