package io.siyu.wecom.channelcode;

import io.siyu.db.RowJson;
import io.siyu.db.Rows;
import io.siyu.db.SqlParams;
import io.siyu.env.Env;
import io.siyu.journey.JourneyFeature;
import io.siyu.problem.Problem;
import io.siyu.tag.TagService;
import io.siyu.web.Page;
import io.siyu.web.Sorts;
import io.siyu.wecom.api.WecomClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Channel QR codes (渠道活码): made through WeCom's {@code add_contact_way}, listed, read with their
 * numbers, and retired through {@code del_contact_way} (kept, with the customers they brought).
 *
 * <p>Creating checks everything it can first — the body, the tags, the journey — and then reserves
 * the code's row (and its state) before asking WeCom, so WeCom never hands out a state Siyu does
 * not know; when WeCom refuses, the row is deleted again and nothing is left.
 */
public final class ChannelCodeService {
  /** The settings without which there is no customer-contact API to call. */
  static final List<String> SETTINGS = List.of("SIYU_WECOM_CORP_ID", "SIYU_WECOM_SECRET");
  public static final Set<String> STATUSES = Set.of("creating", "active", "retired");

  /** A code as the API shows it, in the order of its JSON, with the tags it puts on the customers it adds. */
  private static final String COLUMNS = "c.id, c.name, c.state, c.staff_userids AS staff, "
      + "(SELECT coalesce(json_agg(json_build_object('id', t.id, 'group', g.name, 'name', t.name) ORDER BY t.id), '[]') "
      + "  FROM wecom_channel_code_tags ct JOIN tags t ON t.id = ct.tag_id JOIN tag_groups g ON g.id = t.group_id "
      + "  WHERE ct.code_id = c.id) AS tags, "
      + "c.journey_key, c.skip_verify, c.config_id, c.qr_code, c.status, c.created_by, c.created_at, c.retired_at";
  /** Followed by the page's conditions and order. */
  private static final String CODES_WHERE = "SELECT " + COLUMNS + " FROM wecom_channel_codes c WHERE ";
  private static final String CODE = "SELECT " + COLUMNS + " FROM wecom_channel_codes c WHERE c.id = $1";
  private static final String RESERVE = "INSERT INTO wecom_channel_codes (name, state, staff_userids, journey_key, "
      + "skip_verify, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
  private static final String RESERVE_TAGS = "INSERT INTO wecom_channel_code_tags (code_id, tag_id) "
      + "SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING";
  private static final String ACTIVATE = "UPDATE wecom_channel_codes SET config_id = $2, qr_code = $3, status = 'active' "
      + "WHERE id = $1";
  private static final String UNRESERVE = "DELETE FROM wecom_channel_codes WHERE id = $1 AND status = 'creating'";
  private static final String RETIRE = "UPDATE wecom_channel_codes SET status = 'retired', retired_at = now() "
      + "WHERE id = $1 AND status <> 'retired'";
  private static final String TOTALS = "SELECT count(*) FILTER (WHERE effect = 'added') AS adds, "
      + "count(*) FILTER (WHERE effect = 'deleted_by_staff') AS deleted_by_staff, "
      + "count(*) FILTER (WHERE effect = 'deleted_by_customer') AS deleted_by_customer, "
      + "(SELECT count(*) FROM wecom_follows f WHERE f.channel_code_id = $1 AND f.status IN ('active', 'half')) AS following "
      + "FROM wecom_contact_changes WHERE channel_code_id = $1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Pool pool;
  private final DataSource jdbc;
  private final TagService tags;
  private final Supplier<JourneyFeature> journeys;
  private final WecomClient client;
  private final List<String> missingSettings;

  /** {@code client}: null when WeCom's customer contact is not configured; {@code env} then says what is missing. */
  public ChannelCodeService(Vertx vertx, Pool pool, DataSource jdbc, TagService tags, Supplier<JourneyFeature> journeys,
      WecomClient client, Map<String, String> env) {
    this.vertx = vertx;
    this.pool = pool;
    this.jdbc = jdbc;
    this.tags = tags;
    this.journeys = journeys;
    this.client = client;
    Env settings = new Env(env);
    this.missingSettings = SETTINGS.stream().filter(k -> settings.optional(k).isEmpty()).toList();
  }

  public Future<JsonObject> create(JsonObject body, String actor) {
    ChannelCodeInput in = ChannelCodeInput.parse(body);
    if (client == null) {
      return Future.failedFuture(notConfigured());
    }
    return tagIds(in.tags())
        .compose(tagIds -> checkJourney(in.journeyKey()).map(tagIds))
        .compose(tagIds -> Rows.retryingRaces(() -> reserve(in, tagIds, actor)))
        .compose(reserved -> client.addContactWay(in.wecomRequest(reserved.state()))
            .transform(ar -> ar.succeeded()
                ? pool.preparedQuery(ACTIVATE).execute(Tuple.of(reserved.id(), ar.result().getString("config_id"),
                    ar.result().getString("qr_code"))).map(reserved.id())
                : pool.preparedQuery(UNRESERVE).execute(Tuple.of(reserved.id()))
                    .compose(v -> Future.<Long>failedFuture(wecomRefused("add_contact_way", ar.cause())))))
        .compose(this::get);
  }

  /** The latest code first, or by name. */
  static final Sorts SORTS = Sorts.of("-id", Sorts.number("id", "c.id"), Sorts.text("name", "c.name"));

  /** A page of codes; {@code status} (active, retired, creating) filters when given. */
  public Future<JsonObject> list(String status, Page page) {
    if (status != null && !STATUSES.contains(status)) {
      return Future.failedFuture(Problem.invalid("status", "must be one of active, retired, creating"));
    }
    SqlParams p = new SqlParams();
    String byStatus = status == null ? "" : " AND c.status = " + p.add(status);
    return pool.preparedQuery(CODES_WHERE + page.after(p::add)
            + byStatus + " " + page.orderAndLimit(p::add))
        .execute(p.tuple())
        .map(rows -> page.wrap(Rows.array(rows, RowJson::of)));
  }

  /** The code with its numbers since it was made: adds, deletions on either side, net, and who still follows. */
  public Future<JsonObject> get(long id) {
    return pool.preparedQuery(CODE).execute(Tuple.of(id))
        .map(rows -> Rows.one(rows, "Channel code " + id, RowJson::of))
        .compose(code -> pool.preparedQuery(TOTALS).execute(Tuple.of(id)).map(rows -> {
          Row r = rows.iterator().next();
          long adds = r.getLong("adds");
          long deletions = r.getLong("deleted_by_staff") + r.getLong("deleted_by_customer");
          return code.put("statistics", new JsonObject().put("adds", adds).put("deletions", deletions)
              .put("deleted_by_staff", r.getLong("deleted_by_staff"))
              .put("deleted_by_customer", r.getLong("deleted_by_customer"))
              .put("net", adds - deletions).put("following", r.getLong("following")));
        }));
  }

  /**
   * Stops the QR code at WeCom and marks it retired; retiring a retired code answers it as it is.
   * WeCom refusing leaves the code active.
   */
  public Future<JsonObject> retire(long id) {
    return get(id).compose(code -> {
      if ("retired".equals(code.getString("status"))) {
        return Future.succeededFuture(code);
      }
      String configId = code.getString("config_id");
      Future<Void> atWecom;
      if (configId == null) {
        atWecom = Future.succeededFuture(); // its creation never reached WeCom's answer: nothing to stop there
      } else if (client == null) {
        return Future.failedFuture(notConfigured());
      } else {
        atWecom = client.deleteContactWay(configId)
            .recover(e -> Future.failedFuture(wecomRefused("del_contact_way", e)));
      }
      return atWecom.compose(v -> pool.preparedQuery(RETIRE).execute(Tuple.of(id))).compose(v -> get(id));
    });
  }

  /** A code's row reserved before WeCom is asked. */
  private record Reserved(long id, String state) {}

  private Future<Reserved> reserve(ChannelCodeInput in, List<Long> tagIds, String actor) {
    String state = newState();
    return pool.withTransaction(conn -> conn.preparedQuery(RESERVE)
        .execute(Tuple.of(in.name(), state, in.staff().toArray(String[]::new), in.journeyKey(), in.skipVerify(), actor))
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          return conn.preparedQuery(RESERVE_TAGS)
              .execute(Tuple.of(id).addArrayOfLong(tagIds.toArray(Long[]::new))) // not Tuple.of(id, array): varargs
              .map(v -> new Reserved(id, state));
        }));
  }

  /** Siyu's state for a new code: 21 characters (WeCom takes up to 30), random, so never guessed or repeated. */
  static String newState() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "siyu-" + HexFormat.of().formatHex(bytes);
  }

  /** The ids of the tags the request named; one 422 naming every tag that does not exist. */
  private Future<List<Long>> tagIds(List<ChannelCodeInput.TagRef> refs) {
    List<Long> ids = new ArrayList<>();
    JsonArray errors = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (ChannelCodeInput.TagRef ref : refs) {
      chain = chain.compose(v -> tagId(ref)).map(id -> {
        if (id == null) {
          errors.add(Problem.fieldError(ref.field(), ref.id() != null ? "names no tag"
              : "names no tag " + ref.name() + " in group " + ref.group()));
        } else if (!ids.contains(id)) {
          ids.add(id);
        }
        return null;
      });
    }
    return chain.map(v -> {
      if (!errors.isEmpty()) {
        throw Problem.invalid(errors);
      }
      return ids;
    });
  }

  private Future<Long> tagId(ChannelCodeInput.TagRef ref) {
    if (ref.id() != null) {
      return tags.getTag(ref.id()).map(t -> ref.id())
          .recover(e -> e instanceof Problem p && p.status() == 404 ? Future.succeededFuture(null) : Future.failedFuture(e));
    }
    return vertx.executeBlocking(() -> {
      try (Connection c = jdbc.getConnection()) {
        return TagService.find(c, ref.group(), ref.name());
      }
    }, false);
  }

  private Future<Void> checkJourney(String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      JourneyFeature feature = journeys.get();
      if (feature == null || feature.registry().get(key) == null) {
        throw Problem.invalid("journey_key", "names no deployed journey");
      }
      return null;
    }, false);
  }

  private Problem notConfigured() {
    List<String> missing = missingSettings.isEmpty() ? SETTINGS : missingSettings;
    return new Problem(409, "wecom-not-configured", "WeCom not configured",
        "Channel codes need WeCom's customer-contact API: set " + String.join(" and ", missing),
        new JsonObject().put("missing", new JsonArray(missing)));
  }

  /** WeCom did not do it: 502, with WeCom's errcode and what it means, and whether trying later may help. */
  private static Throwable wecomRefused(String api, Throwable error) {
    if (!(error instanceof WecomClient.CallFailed failed)) {
      return error;
    }
    return new Problem(502, "wecom-error", "WeCom did not accept the request", failed.getMessage(),
        new JsonObject().put("api", api).put("errcode", failed.errcode()).put("retryable", failed.retryable()));
  }
}
