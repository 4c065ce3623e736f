package io.siyu.loyalty.points;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How members earn points from their events. Purchases: {@code perYuan} points a yuan, times the
 * member's tier multiplier, the order's category multiplier ({@code properties.category}) and the
 * biggest campaign factor whose window holds the purchase day. Sign-ins: 5 on the first day of a
 * streak, 5 more each day in a row, at most 20. A completed survey: 50.
 */
public record EarningRules(BigDecimal perYuan, Map<String, BigDecimal> tierMultipliers,
    Map<String, BigDecimal> categoryMultipliers, List<Campaign> campaigns, int signInBase, int signInStep,
    int signInCap, int survey, String zone) {

  public static final String DEFAULT_TIER_MULTIPLIERS = "金卡=1.5,白金=1.5,钻石=2";

  /** A window of days (inclusive, in {@code zone}) in which purchases earn {@code factor} times. */
  public record Campaign(LocalDate from, LocalDate to, BigDecimal factor) {}

  public static EarningRules parse(String perYuan, String tiers, String categories, String campaigns, String zone) {
    return new EarningRules(new BigDecimal(perYuan), factors(tiers), factors(categories), campaigns(campaigns),
        5, 5, 20, 50, zone);
  }

  /** {@code name=factor,...}; empty means none. */
  static Map<String, BigDecimal> factors(String s) {
    Map<String, BigDecimal> map = new LinkedHashMap<>();
    if (s == null || s.isBlank()) {
      return map;
    }
    for (String part : s.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("'" + part + "' is not name=factor");
      }
      map.put(kv[0].trim(), new BigDecimal(kv[1].trim()));
    }
    return map;
  }

  /** {@code 2026-10-01..2026-10-07=2,...}; empty means none. */
  static List<Campaign> campaigns(String s) {
    List<Campaign> list = new ArrayList<>();
    if (s == null || s.isBlank()) {
      return list;
    }
    for (String part : s.split(",")) {
      String[] kv = part.trim().split("=", 2);
      String[] days = kv[0].split("\\.\\.", 2);
      if (kv.length != 2 || days.length != 2) {
        throw new IllegalArgumentException("'" + part + "' is not from..to=factor");
      }
      list.add(new Campaign(LocalDate.parse(days[0].trim()), LocalDate.parse(days[1].trim()), new BigDecimal(kv[1].trim())));
    }
    return list;
  }

  /** Points for the {@code streak}-th sign-in in a row. */
  int signInPoints(int streak) {
    return Math.min(signInBase + signInStep * (streak - 1), signInCap);
  }
}
