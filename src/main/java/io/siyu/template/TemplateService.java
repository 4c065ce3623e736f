package io.siyu.template;

import io.siyu.outbox.TestSends;
import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message templates: stored versions, the files they are loaded from, and rendering.
 *
 * <p>For the dispatcher: {@link #render} (variables given whole) and {@link #renderForContact} (the
 * {@code contact} variable read from the database). Both fail with a {@link RenderException} when
 * the template cannot become a whole message; other failures are the database's.
 *
 * <p>Rendering (Liquid, jsoup) and parsing run on worker threads. The current version of a key is
 * cached for 2 s (dropped at once on a local change, so another instance's new version shows within
 * 2 s); parsed versions are cached by version, since a version never changes.
 */
public final class TemplateService {
  private static final Logger log = LoggerFactory.getLogger(TemplateService.class);
  private static final long CURRENT_MILLIS = 2_000;
  private static final int PARSED_VERSIONS = 256;

  private final Vertx vertx;
  private final MessageLimits limits;
  private final TemplateStore store;
  private final ContactVariables contacts;
  private final Map<String, Current> current = new ConcurrentHashMap<>();
  private final Map<Long, CompiledVersion> parsed = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, CompiledVersion> eldest) {
      return size() > PARSED_VERSIONS;
    }
  });
  private volatile Future<Void> loaded = Future.succeededFuture();

  private record Current(JsonObject row, long until) {}

  private TemplateService(Vertx vertx, Pool pool, MessageLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.store = new TemplateStore(pool);
    this.contacts = new ContactVariables(pool);
  }

  /**
   * The service, loading the template files under {@code dir} in the background. Everything it
   * offers waits for that load, so nothing renders from a version the files are about to replace.
   * A folder that does not check out is logged with its problems and skipped: its key keeps the
   * version it had.
   */
  public static TemplateService start(Vertx vertx, Pool pool, Path dir, MessageLimits limits) {
    TemplateService service = new TemplateService(vertx, pool, limits);
    service.loaded = service.loadDirectory(dir)
        .onFailure(e -> log.error("Templates in {} could not be loaded: {}", dir, e.toString(), e))
        .<Void>mapEmpty().recover(e -> Future.succeededFuture());
    return service;
  }

  /** Completes once the template files have been loaded (or found unloadable): nothing waits longer. */
  public Future<Void> ready() {
    return loaded;
  }

  // ---- rendering ------------------------------------------------------------------------------

  /**
   * Renders the current version of template {@code key} for {@code channel} ({@code wecom},
   * {@code sms}, {@code email}, {@code webhook}, {@code log}) in {@code locale} (null: zh-CN), with
   * {@code variables} (null: none) such as {@code contact}, {@code journey}, {@code right},
   * {@code coupon}. {@code linkRewriter} (null: none) replaces every link's URL, e.g. with a tracked
   * short link; it is called with each URL as the template wrote it.
   */
  public Future<Rendered> render(String key, String channel, String locale, JsonObject variables,
      UnaryOperator<String> linkRewriter) {
    return currentRow(key)
        .recover(e -> Future.failedFuture(e instanceof Problem p && p.status() == 404
            ? new RenderException("template " + key + " does not exist") : e))
        .compose(row -> render(row, channel, locale, variables, linkRewriter));
  }

  /**
   * As {@link #render}, with the {@code contact} variable read for {@code contactId} (see
   * {@link #contactVariables}) and set over whatever {@code variables} hold.
   */
  public Future<Rendered> renderForContact(long contactId, String key, String channel, String locale,
      JsonObject variables, UnaryOperator<String> linkRewriter) {
    return contactVariables(contactId).compose(contact -> render(key, channel, localeFor(locale, contact),
        orEmpty(variables).copy().put("contact", contact), linkRewriter));
  }

  /** The locale asked for, else the contact's own (null: the template's fallback). */
  private static String localeFor(String asked, JsonObject contact) {
    return asked != null ? asked : contact.getString("locale");
  }

  /** The {@code contact} variable of a contact: a 404 problem when there is no such contact. */
  public Future<JsonObject> contactVariables(long contactId) {
    return contacts.of(contactId);
  }

  private Future<Rendered> render(JsonObject row, String channel, String locale, JsonObject variables,
      UnaryOperator<String> linkRewriter) {
    return vertx.executeBlocking(() -> Renderer.render(parsed(row), channel, locale,
        LiquidTemplate.variables(orEmpty(variables)), linkRewriter, limits), false);
  }

  private static JsonObject orEmpty(JsonObject variables) {
    return variables == null ? new JsonObject() : variables;
  }

  /**
   * The version parsed, from the cache when it is there. A version stored before a rule it breaks
   * (an {@code include}, say) no longer parses: it cannot be rendered, like a missing variable.
   */
  private CompiledVersion parsed(JsonObject row) {
    try {
      return parsed.computeIfAbsent(row.getLong("id"), id -> CompiledVersion.compile(id, row.getString("key"),
          row.getInteger("version"), row.getString("kind"),
          row.getJsonArray("variants").stream().map(v -> Variant.fromJson((JsonObject) v)).toList()));
    } catch (IllegalArgumentException e) {
      throw new RenderException("version " + row.getInteger("version") + " of template " + row.getString("key")
          + " cannot be rendered: " + e.getMessage());
    }
  }

  private Future<JsonObject> currentRow(String key) {
    Current c = current.get(key);
    if (c != null && c.until() > System.currentTimeMillis()) {
      return Future.succeededFuture(c.row());
    }
    return loaded.compose(v -> store.current(key))
        .onSuccess(row -> current.put(key, new Current(row, System.currentTimeMillis() + CURRENT_MILLIS)));
  }

  // ---- the API --------------------------------------------------------------------------------

  public Future<JsonObject> list(Page page) {
    return loaded.compose(v -> store.list(page));
  }

  public Future<JsonObject> get(String key) {
    return loaded.compose(v -> store.get(key));
  }

  public Future<JsonObject> version(String key, int version) {
    return loaded.compose(v -> store.version(key, version));
  }

  /** A new template from an API body; answers it as {@link #get} does. */
  public Future<JsonObject> create(JsonObject body, String actor) {
    return loaded.compose(v -> checked(() -> TemplateInput.template(body, limits)))
        .compose(draft -> store.create(draft, actor).compose(saved -> changed(draft.key())));
  }

  /** A new version of {@code key}; {@code created} is false when it equals the current one (nothing written). */
  public Future<JsonObject> addVersion(String key, JsonObject body, String actor) {
    return loaded.compose(v -> checked(() -> TemplateInput.version(key, body, limits)))
        .compose(draft -> store.addVersion(draft, actor))
        .compose(saved -> {
          current.remove(key);
          return store.version(key, saved.version()).map(v -> v.put("created", saved.created()));
        });
  }

  /** {@code {contact_id, channel, locale?, variables?}}: the template rendered for that contact, nothing sent. */
  public Future<JsonObject> preview(String key, JsonObject body) {
    return preview(key, PreviewInput.of(body)).map(Rendered::toJson);
  }

  private Future<Rendered> preview(String key, PreviewInput in) {
    return loaded.compose(v -> currentRow(key))
        .compose(row -> contacts.of(in.contactId())
            .compose(contact -> render(row, in.channel(), localeFor(in.locale(), contact),
                in.variables().copy().put("contact", contact), null)))
        .recover(e -> Future.failedFuture(e instanceof RenderException r ? r.problem() : e));
  }

  /**
   * The body of a preview: the current version is rendered for the contact first (so what would not
   * render is a 422 here, not a dead touch later), then {@code sends} checks the channel reaches the
   * contact and queues the test touch, which the dispatcher renders and sends as it does a journey's.
   * {@code idempotencyKey} (null: none) makes a retried request the same touch. Answers the touch's id.
   */
  public Future<JsonObject> testSend(String key, JsonObject body, String idempotencyKey, String actor, TestSends sends) {
    PreviewInput in = PreviewInput.of(body);
    if (idempotencyKey != null) {
      JsonArray errors = new JsonArray();
      io.siyu.web.JsonValues.key(idempotencyKey, "Idempotency-Key", 150, errors);
      if (!errors.isEmpty()) {
        throw Problem.invalid(errors);
      }
    }
    JsonObject data = new JsonObject().put("variables", in.variables());
    if (in.locale() != null) {
      data.put("locale", in.locale());
    }
    return preview(key, in).compose(rendered -> sends.check(in.contactId(), in.channel())
        .compose(v -> sends.enqueue(key, in.contactId(), in.channel(), data, idempotencyKey, actor))
        .map(id -> new JsonObject().put("touch_id", id).put("template", key).put("version", rendered.version())
            .put("channel", in.channel()).put("test", true)));
  }

  /**
   * Loads every template folder under {@code dir} (see {@link TemplateFiles}): a folder whose
   * variants differ from its key's current version makes the next version; an unchanged one writes
   * nothing. Answers {@code {loaded: [{key, version, created}], rejected: [{key, problems}]}}.
   */
  public Future<JsonObject> loadDirectory(Path dir) {
    JsonArray loadedKeys = new JsonArray();
    JsonArray rejected = new JsonArray();
    return vertx.executeBlocking(() -> TemplateFiles.read(dir).stream().map(this::checkFolder).toList(), false)
        .compose(folders -> {
          Future<Void> chain = Future.succeededFuture();
          for (Checked folder : folders) {
            chain = chain.compose(v -> folder.draft() == null
                ? reject(dir, folder, rejected)
                : store.saveFromFiles(folder.draft()).map(saved -> {
                  current.remove(folder.key());
                  log.info("Template {} from files: version {}{}", folder.key(), saved.version(),
                      saved.created() ? "" : " (unchanged)");
                  loadedKeys.add(new JsonObject().put("key", folder.key()).put("version", saved.version())
                      .put("created", saved.created()));
                  return null;
                }));
          }
          return chain;
        })
        .map(v -> new JsonObject().put("loaded", loadedKeys).put("rejected", rejected));
  }

  /** A folder checked like an API body: its draft, or the problems that keep it out. */
  private record Checked(String key, TemplateInput.Draft draft, JsonArray problems) {}

  private Checked checkFolder(TemplateFiles.Folder folder) {
    if (folder.problem() != null) {
      return new Checked(folder.key(), null, new JsonArray().add(folder.problem()));
    }
    try {
      return new Checked(folder.key(), TemplateInput.template(folder.body(), limits), null);
    } catch (Problem p) {
      return new Checked(folder.key(), null, p.toJson().getJsonArray("errors", new JsonArray().add(p.getMessage())));
    }
  }

  private static Future<Void> reject(Path dir, Checked folder, JsonArray rejected) {
    log.error("Template folder {} in {} was not loaded: {}", folder.key(), dir, folder.problems().encode());
    rejected.add(new JsonObject().put("key", folder.key()).put("problems", folder.problems()));
    return Future.succeededFuture();
  }

  private Future<JsonObject> changed(String key) {
    current.remove(key);
    return store.get(key);
  }

  /** Validation parses Liquid, which is CPU work: off the event loop. */
  private <T> Future<T> checked(java.util.concurrent.Callable<T> check) {
    return vertx.executeBlocking(check, false);
  }
}
