package io.siyu.app;

import io.siyu.auth.TokenStrength;
import io.siyu.db.Database;
import io.siyu.loyalty.growth.GrowthRules;
import io.siyu.loyalty.lifecycle.LifecycleRules;
import io.siyu.loyalty.points.EarningRules;
import io.siyu.outbox.OutboxSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Every setting Siyu reads, taken from environment variables with the defaults documented in
 * the README's configuration table. Tests build one directly to run several servers side by side.
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

  public static Config fromMap(Map<String, String> env) {
    return new Config(
        intOf(env, "SIYU_HTTP_PORT", 8080),
        env.getOrDefault("SIYU_HTTP_HOST", "0.0.0.0"),
        positive(env, "SIYU_HTTP_EVENT_LOOPS", Math.min(Runtime.getRuntime().availableProcessors(), 64)),
        blankToNull(env.get("SIYU_DB_URL")),
        Path.of(env.getOrDefault("SIYU_DATA_DIR", "./data")).toAbsolutePath().normalize(),
        intOf(env, "SIYU_EMBEDDED_DB_PORT", 0),
        adminToken(env),
        longOf(env, "SIYU_HTTP_BODY_LIMIT", 2L * 1024 * 1024),
        longOf(env, "SIYU_IMPORT_MAX_BYTES", 4L * 1024 * 1024 * 1024),
        intOf(env, "SIYU_DB_POOL_SIZE", 16),
        !"reject".equalsIgnoreCase(env.getOrDefault("SIYU_EVENTS_UNKNOWN_CONTACT", "create")),
        env.getOrDefault("SIYU_DEFAULT_TIMEZONE", "Asia/Shanghai"),
        env.getOrDefault("SIYU_DEFAULT_COUNTRY_CODE", "86"),
        intOf(env, "SIYU_POINTS_VALIDITY_MONTHS", 12),
        intOf(env, "SIYU_POINTS_EXPIRY_NOTICE_DAYS", 30),
        new LifecycleRules(
            intOf(env, "SIYU_LIFECYCLE_MATURE_PURCHASES", LifecycleRules.defaults().maturePurchases()),
            longOf(env, "SIYU_LIFECYCLE_MATURE_SPENT", LifecycleRules.defaults().matureSpent()),
            intOf(env, "SIYU_LIFECYCLE_DORMANT_DAYS", LifecycleRules.defaults().dormantDays()),
            intOf(env, "SIYU_LIFECYCLE_CHURNED_DAYS", LifecycleRules.defaults().churnedDays())),
        GrowthRules.parse(env.getOrDefault("SIYU_GROWTH_RULES", GrowthRules.DEFAULT_RULES),
            env.getOrDefault("SIYU_TIERS", GrowthRules.DEFAULT_TIERS)),
        intOf(env, "SIYU_TIER_REVIEW_MONTHS", 12),
        EarningRules.parse(env.getOrDefault("SIYU_POINTS_PER_YUAN", "1"),
            env.getOrDefault("SIYU_POINTS_TIER_MULTIPLIERS", EarningRules.DEFAULT_TIER_MULTIPLIERS),
            env.getOrDefault("SIYU_POINTS_CATEGORY_MULTIPLIERS", ""),
            env.getOrDefault("SIYU_POINTS_CAMPAIGNS", ""),
            env.getOrDefault("SIYU_DEFAULT_TIMEZONE", "Asia/Shanghai")),
        intOf(env, "SIYU_REFERRAL_REGISTER_POINTS", 100),
        new java.math.BigDecimal(env.getOrDefault("SIYU_REFERRAL_FIRST_ORDER_SHARE", "0.3")),
        env.getOrDefault("SIYU_SCHEDULER_NAME", "siyu"),
        cron(env, "SIYU_RECOMPUTE_CRON", "0 0 3 * * ?"),
        cron(env, "SIYU_TIER_REVIEW_CRON", "0 0 4 1 1 ?"),
        new OutboxSettings(longOf(env, "SIYU_OUTBOX_POLL_MS", 200), longOf(env, "SIYU_OUTBOX_RETRY_BASE_MS", 1000),
            longOf(env, "SIYU_OUTBOX_RETRY_MAX_MS", 600_000), intOf(env, "SIYU_OUTBOX_MAX_ATTEMPTS", 8),
            longOf(env, "SIYU_OUTBOX_LEASE_MS", 300_000), intOf(env, "SIYU_OUTBOX_CONCURRENCY", 32),
            blankToNull(env.get("SIYU_WEBHOOK_URL")), blankToNull(env.get("SIYU_WEBHOOK_SECRET")),
            longOf(env, "SIYU_WEBHOOK_TIMEOUT_MS", 5000), intOf(env, "SIYU_WEBHOOK_RATE_PER_SECOND", 0),
            io.siyu.outbox.SendingPolicy.Settings.fromEnv(env),
            io.siyu.outbox.SendLimits.Cap.fromEnv(env), env.getOrDefault("SIYU_PUBLIC_URL", "http://localhost:8080")),
        new io.siyu.journey.JourneyFeature.Settings(
            Path.of(env.getOrDefault("SIYU_JOURNEYS_DIR", "bpmn")).toAbsolutePath().normalize(),
            "siyu-" + java.util.UUID.randomUUID(),
            longOf(env, "SIYU_JOB_ACQUISITION_MAX_WAIT_MS", 1000),
            longOf(env, "SIYU_JOURNEY_INBOX_POLL_MS", 200),
            positive(env, "SIYU_JOURNEY_INBOX_WORKERS", 2),
            sendWindow(env.getOrDefault("SIYU_SEND_WINDOW", "09:00-21:00")),
            !"false".equalsIgnoreCase(env.getOrDefault("SIYU_JOB_EXECUTOR", "true")),
            env.getOrDefault("SIYU_DEFAULT_CHANNEL", "log"),
            cron(env, "SIYU_BIRTHDAY_SCAN_CRON", "0 0/15 * * * ?"),
            cron(env, "SIYU_SEGMENT_SCAN_CRON", "0 0/5 * * * ?")),
        Path.of(env.getOrDefault("SIYU_TEMPLATES_DIR", "templates")).toAbsolutePath().normalize(),
        siyuOnly(env));
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
  private static String cron(Map<String, String> env, String key, String dflt) {
    String v = env.getOrDefault(key, dflt).trim();
    if (!org.quartz.CronExpression.isValidExpression(v)) {
      throw new IllegalArgumentException(key + " must be a Quartz cron expression (e.g. " + dflt + "), not '" + v + "'");
    }
    return v;
  }

  /** SIYU_ADMIN_TOKEN, refused when too weak: it opens every door of the API. */
  private static String adminToken(Map<String, String> env) {
    String token = blankToNull(env.get("SIYU_ADMIN_TOKEN"));
    if (token != null) {
      TokenStrength.require("SIYU_ADMIN_TOKEN", token);
    }
    return token;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** A count of threads or workers: 1 to 64. */
  private static int positive(Map<String, String> env, String key, int dflt) {
    int v = intOf(env, key, dflt);
    if (v < 1 || v > 64) {
      throw new IllegalArgumentException(key + " must be from 1 to 64, got " + v);
    }
    return v;
  }

  private static int intOf(Map<String, String> env, String key, int dflt) {
    return (int) longOf(env, key, dflt);
  }

  private static long longOf(Map<String, String> env, String key, long dflt) {
    String v = blankToNull(env.get(key));
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }
}
