package io.siyu.app;

import io.siyu.attribute.AttributeService;
import io.siyu.auth.TokenService;
import io.siyu.contact.ContactService;
import io.siyu.db.Database;
import io.siyu.event.EventService;
import io.siyu.imports.ImportService;
import io.siyu.loyalty.growth.GrowthService;
import io.siyu.loyalty.lifecycle.Recompute;
import io.siyu.loyalty.points.PointsEarning;
import io.siyu.loyalty.points.PointsExpiry;
import io.siyu.loyalty.points.PointsService;
import io.siyu.loyalty.referral.ReferralService;
import io.siyu.loyalty.rights.RightService;
import io.siyu.outbox.Channels;
import io.siyu.outbox.Dispatcher;
import io.siyu.outbox.Receipts;
import io.siyu.outbox.TouchService;
import io.siyu.outbox.TrackedLinks;
import io.siyu.outbox.Unsubscribes;
import io.siyu.schedule.Schedules;
import io.siyu.segment.SegmentService;
import io.siyu.tag.TagService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The feature services of one running Siyu, built once the database is ready. */
public final class Services {
  private final Config config;
  private final Vertx vertx;
  private final Pool pool;
  /**
   * The dispatcher's own connections: its statements get generic plans there, and its bookkeeping
   * never waits behind API requests. Its claims and the frequency caps and rate limits it reserves
   * before a send commit without waiting for the disk. Should the database crash before they
   * reach it, the touches they were for are sent again (as after any send whose result was not
   * recorded), and they reach the disk before any result is recorded on {@link #outboxRecordPool}.
   */
  private final Pool outboxPool;
  private static final int OUTBOX_POOL_SIZE = 4;
  /** The dispatcher's records of results: each commit waits for the disk, as every other. */
  private final Pool outboxRecordPool;
  private static final int OUTBOX_RECORD_POOL_SIZE = 2;
  private final Database database;
  private final TokenService tokens;
  private final io.siyu.user.People people;
  private final AttributeService attributes;
  private final ContactService contacts;
  private final TagService tags;
  private final SegmentService segments;
  private final EventService events;
  private final ImportService imports;
  private final PointsService points;
  private final PointsExpiry pointsExpiry;
  private final Recompute recompute;
  private final GrowthService growth;
  private final ReferralService referrals;
  private volatile Schedules schedules;
  private volatile io.siyu.journey.JourneyFeature journeys;
  private final RightService rights;
  private final Channels channels;
  private final Dispatcher dispatcher;
  private final Receipts receipts;
  private final TrackedLinks links;
  private final Unsubscribes unsubscribes;
  private final TouchService touches;
  private final io.siyu.outbox.TestSends testSends;
  private final io.siyu.template.TemplateService templates;
  /** The WeCom channel's client, shared by the callback handlers below; null when WeCom's API is not configured. */
  private final io.siyu.wecom.api.WecomClient wecom;
  // CallbackHandler: change_external_chat
  private final io.siyu.wecom.chat.GroupChatCallbacks groupChatCallbacks;
  // CallbackHandler: change_external_tag
  private final io.siyu.wecom.tag.CorpTagCallbacks corpTagCallbacks;
  private final io.siyu.wecom.chat.GroupChats groupChats;
  private final io.siyu.wecom.tag.TagPushes tagPushes;
  private final io.siyu.wecom.channelcode.ChannelCodeService channelCodes;
  private final io.siyu.wecom.channelcode.ChannelCodeStatistics channelCodeStatistics;
  private final io.siyu.wecom.contact.ExternalContactHandler externalContacts;
  private final io.siyu.wecom.callback.CallbackInbox wecomCallbacks;

  Services(Config config, Vertx vertx, Pool pool, Database database, io.micrometer.core.instrument.MeterRegistry metrics,
      java.util.UUID instanceId) {
    this.config = config;
    this.vertx = vertx;
    this.pool = pool;
    this.database = database;
    this.tokens = new TokenService(pool);
    this.people = new io.siyu.user.People(vertx, pool, config.people());
    this.attributes = new AttributeService(pool);
    this.segments = new SegmentService(pool, attributes);
    this.contacts = new ContactService(pool, attributes, segments::condition, config.contactDefaults());
    this.tags = new TagService(pool, segments);
    this.growth = new GrowthService(pool, config.growth(), config.tierReviewMonths());
    this.referrals = new ReferralService(pool, config.referralRegisterPoints(), config.referralFirstOrderShare(),
        config.pointsValidityMonths());
    this.events = new EventService(pool, contacts, attributes, growth,
        new PointsEarning(config.earning(), config.pointsValidityMonths()), referrals,
        new EventService.Settings(config.contactDefaults(), config.lifecycle(), config.eventsCreateUnknownContacts()));
    this.imports = new ImportService(vertx, pool, database.jdbc(), attributes,
        new ImportService.Settings(config.dataDir().resolve("imports"), config.importMaxBytes(), config.contactDefaults()));
    this.points = new PointsService(pool, config.pointsValidityMonths());
    this.pointsExpiry = new PointsExpiry(pool, config.pointsExpiryNoticeDays());
    this.rights = new RightService(pool);
    this.recompute = new Recompute(pool, config.lifecycle(), pointsExpiry, rights);
    // one WeCom client for the channel and every WeCom feature: one access token cache, one pace
    this.wecom = io.siyu.wecom.api.WecomSettings.fromEnv(config.env())
        .map(settings -> io.siyu.wecom.api.WecomClient.create(vertx, settings)).orElse(null);
    this.channels = Channels.load(new io.siyu.outbox.ChannelContext(vertx, config.env(), config.outbox()), metrics,
        java.util.List.of(new io.siyu.channel.wecom.WecomChannel(wecom)));
    this.links = new TrackedLinks(pool, events, config.outbox().publicUrl());
    this.unsubscribes = new Unsubscribes(pool, config.outbox().publicUrl());
    this.templates = io.siyu.template.TemplateService.start(vertx, pool, config.templatesDir(),
        io.siyu.template.MessageLimits.fromEnv(config.env()));
    // The dispatcher's two pools and the dispatcher itself, made one after the other: each takes the
    // next event loop of Vert.x's group in turn, so with three loops or more (two cores give four)
    // the claims' rows are decoded beside the dispatcher's own work, not on its thread. Made apart,
    // with other contexts created in between, they had fallen on one loop.
    // their sessions carry the instance's id: a starting instance frees the claims it left only while
    // no running one is connected under the same id
    String sessions = Dispatcher.sessionName(instanceId);
    this.outboxPool = database.genericPlanPool(vertx, OUTBOX_POOL_SIZE, "siyu-outbox", Database.Commits.UNFLUSHED,
        sessions);
    this.outboxRecordPool = database.genericPlanPool(vertx, OUTBOX_RECORD_POOL_SIZE, "siyu-outbox-records",
        Database.Commits.FLUSHED, sessions);
    this.dispatcher = new Dispatcher(vertx, outboxPool, outboxRecordPool, channels, config.outbox(),
        new io.siyu.template.TemplateTouchRenderer(templates), links, unsubscribes, instanceId);
    this.receipts = new Receipts(pool);
    this.touches = new TouchService(pool, dispatcher);
    this.testSends = new io.siyu.outbox.TestSends(pool, channels, dispatcher);
    this.groupChatCallbacks = new io.siyu.wecom.chat.GroupChatCallbacks(pool, events, wecom);
    this.corpTagCallbacks = new io.siyu.wecom.tag.CorpTagCallbacks(pool, tags, wecom);
    this.groupChats = new io.siyu.wecom.chat.GroupChats(pool, config.defaultTimezone());
    // sends tag changes on mirrored WeCom tags back with mark_tag; polls only when WeCom is configured
    this.tagPushes = new io.siyu.wecom.tag.TagPushes(vertx, pool, wecom,
        io.siyu.wecom.tag.TagPushSettings.fromEnv(config.env()));
    // reading customers and making channel codes need the customer-contact app (SIYU_WECOM_SECRET)
    io.siyu.wecom.api.WecomClient wecomContact = wecom != null && wecom.customerContactConfigured() ? wecom : null;
    this.channelCodes = new io.siyu.wecom.channelcode.ChannelCodeService(vertx, pool, database.jdbc(), tags,
        this::journeys, wecomContact, config.env());
    this.channelCodeStatistics = new io.siyu.wecom.channelcode.ChannelCodeStatistics(pool, channelCodes,
        config.defaultTimezone());
    this.externalContacts = io.siyu.wecom.contact.ExternalContactHandler.create(pool, contacts, events,
        new io.siyu.wecom.channelcode.ChannelCodeEffects(vertx, pool, tags, this::journeys), wecomContact);
    this.wecomCallbacks = io.siyu.wecom.callback.CallbackInbox.create(vertx, pool,
        io.siyu.wecom.callback.CallbackSettings.fromEnv(config.env()), wecomCallbackHandlers());
  }

  /** What each WeCom callback event sets in motion: one handler per {@code Event}, added here. */
  private java.util.List<io.siyu.wecom.callback.CallbackHandler> wecomCallbackHandlers() {
    return java.util.List.of(externalContacts, groupChatCallbacks, corpTagCallbacks);
  }

  public Config config() { return config; }
  public Vertx vertx() { return vertx; }
  public Pool pool() { return pool; }

  public Pool outboxPool() { return outboxPool; }

  public Pool outboxRecordPool() { return outboxRecordPool; }

  /** Closes the dispatcher's own pools (once it has stopped); the shared pool is its creator's to close. */
  Future<Void> closeOutboxPools() {
    return outboxPool.close().compose(v -> outboxRecordPool.close());
  }
  public Database database() { return database; }
  public TokenService tokens() { return tokens; }
  /** People who sign in: users, passwords, sessions. */
  public io.siyu.user.People people() { return people; }
  public AttributeService attributes() { return attributes; }
  public ContactService contacts() { return contacts; }
  public TagService tags() { return tags; }
  public SegmentService segments() { return segments; }
  public EventService events() { return events; }
  public ImportService imports() { return imports; }
  public PointsService points() { return points; }
  public PointsExpiry pointsExpiry() { return pointsExpiry; }
  public Recompute recompute() { return recompute; }
  public GrowthService growth() { return growth; }
  public ReferralService referrals() { return referrals; }
  public Schedules schedules() { return schedules; }

  public io.siyu.journey.JourneyFeature journeys() { return journeys; }

  /**
   * The background workers, in the order they start (the application stops them in the reverse
   * order): the journey inbox makes touches the dispatcher sends, and WeCom callbacks make tag
   * changes the tag pushes send, so each producer stops before what it feeds. Once the journeys run.
   */
  java.util.List<io.siyu.worker.Worker> workers() {
    return java.util.List.of(journeys.inbox(), dispatcher, tagPushes, wecomCallbacks);
  }

  /** Blocking: starts the journey engine and deploys the journeys directory. */
  void startJourneys() throws java.io.IOException {
    journeys = new io.siyu.journey.JourneyFeature(vertx, database.jdbc(), pool, segments, config.journeys(),
        new io.siyu.journey.JourneyFeature.PaletteServices(tags, points, events, contacts, dispatcher::wake));
  }

  /** Blocking: starts the scheduled jobs (Quartz needs these services to run them). */
  void startSchedules() throws org.quartz.SchedulerException {
    openSchedules();
    journeys.deployer().onDeployed(() -> {
      try {
        schedules.syncJourneys(journeys.registry().all());
      } catch (org.quartz.SchedulerException e) {
        throw new IllegalStateException("the journey was deployed, but its schedule could not be set: " + e.getMessage(), e);
      }
    });
  }

  private void openSchedules() throws org.quartz.SchedulerException {
    schedules = Schedules.start(database.jdbc(), config.schedulerName(), config.defaultTimezone(),
        ScheduledJobs.of(config, recompute, growth, this::journeys), (key, firing) -> journeys.scheduledEntry().run(key, firing));
    schedules.syncJourneys(journeys.registry().all());
  }

  /**
   * Blocking: the database has gone. The journey engine's job executor and Quartz rest until it is
   * back: they would fail at every turn and log each failure with its stack trace (the other
   * workers poll through Vert.x and keep quiet about an outage; the API answers 503).
   */
  void databaseLost() {
    journeys.pause();
    schedules.close();
  }

  /** Blocking: the database is back; what {@link #databaseLost} stopped starts again. */
  void databaseBack() throws org.quartz.SchedulerException {
    openSchedules();
    journeys.resume();
  }
  public RightService rights() { return rights; }
  /** Sends the outbox's touches; {@code wake()} it after committing new ones. */
  public Dispatcher dispatcher() { return dispatcher; }
  public Channels channels() { return channels; }
  public Receipts receipts() { return receipts; }
  public TrackedLinks links() { return links; }
  public Unsubscribes unsubscribes() { return unsubscribes; }
  public TouchService touches() { return touches; }
  public io.siyu.outbox.TestSends testSends() { return testSends; }
  /** Message templates: rendering for the dispatcher, and the files loaded at start. */
  public io.siyu.template.TemplateService templates() { return templates; }
  /** The WeCom server API client, or null when WeCom is not configured. */
  public io.siyu.wecom.api.WecomClient wecom() { return wecom; }
  // CallbackHandler: change_external_chat
  public io.siyu.wecom.chat.GroupChatCallbacks groupChatCallbacks() { return groupChatCallbacks; }
  // CallbackHandler: change_external_tag
  public io.siyu.wecom.tag.CorpTagCallbacks corpTagCallbacks() { return corpTagCallbacks; }
  public io.siyu.wecom.chat.GroupChats groupChats() { return groupChats; }
  /** The worker sending tag changes back to WeCom. */
  public io.siyu.wecom.tag.TagPushes tagPushes() { return tagPushes; }
  /** Channel QR codes (渠道活码) made through WeCom. */
  public io.siyu.wecom.channelcode.ChannelCodeService channelCodes() { return channelCodes; }
  public io.siyu.wecom.channelcode.ChannelCodeStatistics channelCodeStatistics() { return channelCodeStatistics; }
  // CallbackHandler: change_external_contact
  public io.siyu.wecom.contact.ExternalContactHandler externalContacts() { return externalContacts; }
  /** WeCom callbacks: stored by {@code /webhooks/wecom}, handed to their handlers; {@code register} adds one. */
  public io.siyu.wecom.callback.CallbackInbox wecomCallbacks() { return wecomCallbacks; }
}
