package io.siyu.console;

/** Reads an {@code Accept-Encoding} header far enough to know whether gzip is welcome. */
final class AcceptEncoding {
  private AcceptEncoding() {}

  /** True when the header names {@code gzip} (or {@code *}) without {@code q=0}. */
  static boolean allowsGzip(String header) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String[] pieces = part.trim().split(";");
      String coding = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (coding.equals("gzip") || coding.equals("*")) {
        return !refused(pieces);
      }
    }
    return false;
  }

  private static boolean refused(String[] pieces) {
    for (int i = 1; i < pieces.length; i++) {
      String p = pieces[i].trim().replace(" ", "");
      if (p.startsWith("q=")) {
        try {
          return Double.parseDouble(p.substring(2)) <= 0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }
}
