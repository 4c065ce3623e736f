package io.siyu.bench;

/** Command-line values, checked; a bad one is an IllegalArgumentException (exit status 64). */
final class Args {
  private Args() {}

  static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  static int positive(String option, String v) {
    try {
      int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, got '" + v + "'");
  }
}
