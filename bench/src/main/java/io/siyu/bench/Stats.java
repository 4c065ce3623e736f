package io.siyu.bench;

import java.util.List;

/** Medians and percentiles of measured times. */
final class Stats {
  private Stats() {}

  /** The middle value; of two middle values the lower one (NaN for none). */
  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[(sorted.length - 1) / 2];
  }

  /** The middle value; of two middle values their mean. */
  static double midpoint(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double p90(List<Double> xs) {
    return percentile(xs, 0.90);
  }

  /** Nearest rank. */
  static double percentile(List<Double> xs, double p) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
