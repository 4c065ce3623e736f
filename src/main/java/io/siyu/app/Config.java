package io.siyu.app;

import io.siyu.auth.TokenStrength;
import io.siyu.db.Database;
import io.siyu.env.Env;
import io.siyu.loyalty.growth.GrowthRules;
import io.siyu.loyalty.lifecycle.LifecycleRules;
import io.siyu.loyalty.points.EarningRules;
import io.siyu.outbox.OutboxSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Every setting Siyu reads, taken from environment variables with the defaults documented in
 * the table in docs/CONFIGURATION.md. Tests build one directly to run several servers side by side.
 */
public record Config(
    int httpPort,
    String httpHost,
    int httpEventLoops,
    String dbUrl,
    Path dataDir,
    int embeddedDbPort,
    String adminToken,
    long bodyLimitBytes,
    long importMaxBytes,
    int dbPoolSize,
    boolean eventsCreateUnknownContacts,
    String defaultTimezone,
    String defaultCountryCode,
    int pointsValidityMonths,
    int pointsExpiryNoticeDays,
    LifecycleRules lifecycle,
    GrowthRules growth,
    int tierReviewMonths,
    EarningRules earning,
    int referralRegisterPoints,
    java.math.BigDecimal referralFirstOrderShare,
    String schedulerName,
    String recomputeCron,
    String tierReviewCron,
    OutboxSettings outbox,
    io.siyu.journey.JourneyFeature.Settings journeys,
    Path templatesDir,
    io.siyu.user.PeopleSettings people,
    Map<String, String> env) {

  /** Where the database is (see {@link Database.Settings}). */
  public Database.Settings database() {
    return new Database.Settings(dbUrl, dataDir, embeddedDbPort, dbPoolSize);
  }

  /** What a contact gets when its input does not say. */
  public io.siyu.contact.ContactDefaults contactDefaults() {
    return new io.siyu.contact.ContactDefaults(defaultCountryCode, defaultTimezone);
  }

  public static Config fromEnv() {
    return fromMap(System.getenv());
  }

  public static Config fromMap(Map<String, String> environment) {
    Env env = new Env(environment);
    LifecycleRules lifecycle = LifecycleRules.defaults();
    String timezone = env.string("SIYU_DEFAULT_TIMEZONE", "Asia/Shanghai");
    return new Config(
        env.integer("SIYU_HTTP_PORT", 8080, 0, 65_535),
        env.string("SIYU_HTTP_HOST", "0.0.0.0"),
        env.integer("SIYU_HTTP_EVENT_LOOPS", Math.min(Runtime.getRuntime().availableProcessors(), 64), 1, 64),
        env.optional("SIYU_DB_URL").orElse(null),
        env.path("SIYU_DATA_DIR", "./data"),
        env.integer("SIYU_EMBEDDED_DB_PORT", 0, 0, 65_535),
        adminToken(env),
        env.longValue("SIYU_HTTP_BODY_LIMIT", 2L * 1024 * 1024, 1, Integer.MAX_VALUE),
        env.longValue("SIYU_IMPORT_MAX_BYTES", 4L * 1024 * 1024 * 1024, 1, Long.MAX_VALUE),
        env.integer("SIYU_DB_POOL_SIZE", 16, 1, 1_000),
        !"reject".equalsIgnoreCase(env.string("SIYU_EVENTS_UNKNOWN_CONTACT", "create")),
        timezone,
        env.string("SIYU_DEFAULT_COUNTRY_CODE", "86"),
        env.integer("SIYU_POINTS_VALIDITY_MONTHS", 12, 1, 1_200),
        env.integer("SIYU_POINTS_EXPIRY_NOTICE_DAYS", 30, 0, 3_650),
        new LifecycleRules(
            env.integer("SIYU_LIFECYCLE_MATURE_PURCHASES", lifecycle.maturePurchases(), 1, Integer.MAX_VALUE),
            env.longValue("SIYU_LIFECYCLE_MATURE_SPENT", lifecycle.matureSpent(), 0, Long.MAX_VALUE),
            env.integer("SIYU_LIFECYCLE_DORMANT_DAYS", lifecycle.dormantDays(), 1, 36_500),
            env.integer("SIYU_LIFECYCLE_CHURNED_DAYS", lifecycle.churnedDays(), 1, 36_500)),
        GrowthRules.parse(env.string("SIYU_GROWTH_RULES", GrowthRules.DEFAULT_RULES),
            env.string("SIYU_TIERS", GrowthRules.DEFAULT_TIERS)),
        env.integer("SIYU_TIER_REVIEW_MONTHS", 12, 1, 1_200),
        EarningRules.parse(env.string("SIYU_POINTS_PER_YUAN", "1"),
            env.string("SIYU_POINTS_TIER_MULTIPLIERS", EarningRules.DEFAULT_TIER_MULTIPLIERS),
            env.string("SIYU_POINTS_CATEGORY_MULTIPLIERS", ""), env.string("SIYU_POINTS_CAMPAIGNS", ""), timezone),
        env.integer("SIYU_REFERRAL_REGISTER_POINTS", 100, 0, Integer.MAX_VALUE),
        new java.math.BigDecimal(env.string("SIYU_REFERRAL_FIRST_ORDER_SHARE", "0.3")),
        env.string("SIYU_SCHEDULER_NAME", "siyu"),
        cron(env, "SIYU_RECOMPUTE_CRON", "0 0 3 * * ?"),
        cron(env, "SIYU_TIER_REVIEW_CRON", "0 0 4 1 1 ?"),
        outbox(env, environment),
        new io.siyu.journey.JourneyFeature.Settings(
            env.path("SIYU_JOURNEYS_DIR", "bpmn"),
            "siyu-" + java.util.UUID.randomUUID(),
            env.longValue("SIYU_JOB_ACQUISITION_MAX_WAIT_MS", 1000, 1, 3_600_000),
            env.longValue("SIYU_JOURNEY_INBOX_POLL_MS", 200, 1, 3_600_000),
            env.integer("SIYU_JOURNEY_INBOX_WORKERS", 2, 1, 64),
            sendWindow(env.string("SIYU_SEND_WINDOW", "09:00-21:00")),
            !"false".equalsIgnoreCase(env.string("SIYU_JOB_EXECUTOR", "true")),
            env.string("SIYU_DEFAULT_CHANNEL", "log"),
            cron(env, "SIYU_BIRTHDAY_SCAN_CRON", "0 0/15 * * * ?"),
            cron(env, "SIYU_SEGMENT_SCAN_CRON", "0 0/5 * * * ?")),
        env.path("SIYU_TEMPLATES_DIR", "templates"),
        io.siyu.user.PeopleSettings.fromEnv(environment),
        siyuOnly(environment));
  }

  private static OutboxSettings outbox(Env env, Map<String, String> environment) {
    return new OutboxSettings(
        env.longValue("SIYU_OUTBOX_POLL_MS", 200, 1, 3_600_000),
        env.longValue("SIYU_OUTBOX_RETRY_BASE_MS", 1000, 1, 86_400_000),
        env.longValue("SIYU_OUTBOX_RETRY_MAX_MS", 600_000, 1, 86_400_000),
        env.integer("SIYU_OUTBOX_MAX_ATTEMPTS", 8, 1, 1_000),
        env.longValue("SIYU_OUTBOX_LEASE_MS", 300_000, 1, 86_400_000),
        env.integer("SIYU_OUTBOX_CONCURRENCY", 32, 1, 10_000),
        env.optional("SIYU_WEBHOOK_URL").orElse(null),
        env.optional("SIYU_WEBHOOK_SECRET").orElse(null),
        env.longValue("SIYU_WEBHOOK_TIMEOUT_MS", 5000, 1, 600_000),
        env.integer("SIYU_WEBHOOK_RATE_PER_SECOND", 0, 0, 1_000_000),
        io.siyu.outbox.SendingPolicy.Settings.fromEnv(environment),
        io.siyu.outbox.SendLimits.Cap.fromEnv(environment),
        env.string("SIYU_PUBLIC_URL", "http://localhost:8080"));
  }

  /**
   * The SIYU_* variables as given: channels found on the class path read their own block from
   * here (e.g. SIYU_WECOM_*), so adding a channel needs no change to this record.
   */
  private static Map<String, String> siyuOnly(Map<String, String> env) {
    Map<String, String> out = new java.util.TreeMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("SIYU_") && v != null) {
        out.put(k, v);
      }
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  private static io.siyu.journey.SendWindow.Window sendWindow(String spec) {
    io.siyu.journey.SendWindow.Window w = io.siyu.journey.SendWindow.parse(spec);
    if (w == null) {
      throw new IllegalArgumentException("SIYU_SEND_WINDOW must look like 09:00-21:00, not " + spec);
    }
    return w;
  }

  /** A Quartz cron expression, checked here so a typo stops the start with the variable's name. */
  private static String cron(Env env, String key, String dflt) {
    String v = env.string(key, dflt);
    if (!org.quartz.CronExpression.isValidExpression(v)) {
      throw new IllegalArgumentException(key + " must be a Quartz cron expression (e.g. " + dflt + "), not '" + v + "'");
    }
    return v;
  }

  /** SIYU_ADMIN_TOKEN, refused when too weak: it opens every door of the API. */
  private static String adminToken(Env env) {
    String token = env.optional("SIYU_ADMIN_TOKEN").orElse(null);
    if (token != null) {
      TokenStrength.require("SIYU_ADMIN_TOKEN", token);
    }
    return token;
  }
}
