package io.siyu.loyalty.growth;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What each event type is worth in growth value, and the tiers growth value buys. Read from
 * {@code SIYU_GROWTH_RULES} ({@code type=fixed} or {@code type=N/yuan}, comma-separated) and
 * {@code SIYU_TIERS} ({@code name=threshold}, ascending, the first at 0).
 */
public record GrowthRules(List<Rule> rules, List<Tier> tiers) {
  public static final String DEFAULT_RULES =
      "member.registered=100,profile.completed=50,sign_in=5,referral.registered=100,purchase=1/yuan";
  public static final String DEFAULT_TIERS = "普通=0,银卡=2000,金卡=10000,白金=20000,钻石=50000";

  /** Growth for an event of {@code type}: {@code fixed} plus {@code perYuan} × its amount. */
  public record Rule(String type, int fixed, BigDecimal perYuan) {}

  public record Tier(String name, int threshold) {}

  public static GrowthRules parse(String rules, String tiers) {
    List<Rule> parsedRules = new ArrayList<>();
    for (String part : split(rules, "SIYU_GROWTH_RULES")) {
      String[] kv = pair(part, "SIYU_GROWTH_RULES");
      if (kv[1].endsWith("/yuan")) {
        parsedRules.add(new Rule(kv[0], 0, new BigDecimal(kv[1].substring(0, kv[1].length() - 5))));
      } else {
        parsedRules.add(new Rule(kv[0], Integer.parseInt(kv[1]), BigDecimal.ZERO));
      }
    }
    List<Tier> parsedTiers = new ArrayList<>();
    for (String part : split(tiers, "SIYU_TIERS")) {
      String[] kv = pair(part, "SIYU_TIERS");
      parsedTiers.add(new Tier(kv[0], Integer.parseInt(kv[1])));
    }
    if (parsedTiers.isEmpty() || parsedTiers.get(0).threshold() != 0) {
      throw new IllegalArgumentException("SIYU_TIERS must start with a tier at 0");
    }
    for (int i = 1; i < parsedTiers.size(); i++) {
      if (parsedTiers.get(i).threshold() <= parsedTiers.get(i - 1).threshold()) {
        throw new IllegalArgumentException("SIYU_TIERS thresholds must rise");
      }
    }
    return new GrowthRules(List.copyOf(parsedRules), List.copyOf(parsedTiers));
  }

  private static String[] split(String s, String name) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    return s.split(",");
  }

  private static String[] pair(String part, String name) {
    String[] kv = part.trim().split("=", 2);
    if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
      throw new IllegalArgumentException(name + ": '" + part + "' is not name=value");
    }
    return new String[] {kv[0].trim(), kv[1].trim()};
  }

  String[] ruleTypes() {
    return rules.stream().map(Rule::type).toArray(String[]::new);
  }

  Integer[] ruleFixed() {
    return rules.stream().map(Rule::fixed).toArray(Integer[]::new);
  }

  String[] rulePerYuan() {
    return rules.stream().map(r -> r.perYuan().toPlainString()).toArray(String[]::new);
  }

  String[] tierNames() {
    return tiers.stream().map(Tier::name).toArray(String[]::new);
  }

  Integer[] tierThresholds() {
    return tiers.stream().map(Tier::threshold).toArray(Integer[]::new);
  }
}
