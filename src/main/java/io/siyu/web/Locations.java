package io.siyu.web;

import java.nio.charset.StandardCharsets;

/**
 * Header values made from data: {@code Location} and the like. A header is printable ASCII; the
 * HTTP layer refuses a control character in one (the answer was never sent: the client hung) and
 * cannot write anything beyond Latin-1. So every value from data is percent-encoded here, and no
 * route writes such a header any other way.
 */
public final class Locations {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Locations() {}

  /**
   * {@code base} followed by each segment, each percent-encoded as one path segment (a slash,
   * question mark or space in an event id stays inside its segment): {@code path("/api/v1/events",
   * "订单 1/2")} is {@code /api/v1/events/%E8%AE%A2%E5%8D%95%201%2F2}, and the router decodes it
   * back to the same id.
   */
  public static String path(String base, Object... segments) {
    StringBuilder out = new StringBuilder(base);
    for (Object segment : segments) {
      out.append('/');
      escape(String.valueOf(segment), out, Locations::unreserved);
    }
    return out.toString();
  }

  /**
   * A URI as a header value: what is already a URI (reserved characters, escapes) is kept, and
   * anything that cannot stand in a header (controls, spaces, non-ASCII) is percent-encoded as UTF-8.
   */
  public static String uri(String uri) {
    StringBuilder out = new StringBuilder(uri.length());
    escape(uri, out, c -> c > 0x20 && c < 0x7f);
    return out.toString();
  }

  /** RFC 3986's unreserved characters: the only ones a path segment keeps as they are. */
  private static boolean unreserved(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static void escape(String s, StringBuilder out, java.util.function.IntPredicate keep) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (keep.test(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }
}
