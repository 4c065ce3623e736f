package io.siyu.auth;

/**
 * How hard a token someone chose (the bootstrap {@code SIYU_ADMIN_TOKEN}) would be to guess, judged
 * from its text alone, and how much of a token may be shown.
 *
 * <p>The judgement: {@code length × log2(alphabet)}, where the alphabet is what the character
 * classes the token uses span (digits 10, lowercase 26, uppercase 26, other visible ASCII 32; a
 * token of hex digits only counts 16), and the token must use at least {@value #MIN_DISTINCT}
 * different characters (so {@code aaaa…} or {@code 1212…} do not pass on length). This is an upper
 * bound: the text cannot show whether it was drawn at random or chosen, so a long phrase passes
 * without being random. {@code openssl rand -base64 32} (about 256 bits) is what to use.
 */
public final class TokenStrength {
  /** What every token Siyu makes starts with (so a leaked one is easy to find in code and logs). */
  public static final String PREFIX = "siyu_";

  /** The least a bootstrap token must carry. */
  public static final int MIN_BITS = 128;
  static final int MIN_DISTINCT = 10;
  /** Characters of a token shown in listings, after the {@code siyu_} marker of Siyu's own tokens. */
  static final int SHOWN = 4;
  static final String HOW_TO_MAKE_ONE = "openssl rand -base64 32";

  private TokenStrength() {}

  /** Fails naming {@code variable} when {@code token} is too weak; the token itself is never echoed. */
  public static void require(String variable, String token) {
    String weakness = weakness(token);
    if (weakness != null) {
      throw new IllegalArgumentException(variable + " " + weakness + ". Make one with: " + HOW_TO_MAKE_ONE
          + " (or leave " + variable + " unset: the first start then generates one and prints it once)");
    }
  }

  /** Why {@code token} is too weak, or null when it carries at least {@value #MIN_BITS} bits. */
  static String weakness(String token) {
    if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      return "must be visible ASCII characters without spaces (it travels in an HTTP header)";
    }
    int bits = bits(token);
    if (bits < MIN_BITS) {
      return "carries about " + bits + " bits (" + token.length() + " characters from an alphabet of "
          + alphabet(token) + "), at least " + MIN_BITS + " needed";
    }
    long distinct = token.chars().distinct().count();
    if (distinct < MIN_DISTINCT) {
      return "uses only " + distinct + " different characters, at least " + MIN_DISTINCT + " needed";
    }
    return null;
  }

  static int bits(String token) {
    return (int) Math.floor(token.length() * Math.log(alphabet(token)) / Math.log(2));
  }

  private static int alphabet(String token) {
    boolean digits = token.chars().anyMatch(c -> c >= '0' && c <= '9');
    boolean lower = token.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    boolean upper = token.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
    boolean other = token.chars().anyMatch(c -> !Character.isLetterOrDigit(c));
    int size = (digits ? 10 : 0) + (lower ? 26 : 0) + (upper ? 26 : 0) + (other ? 32 : 0);
    boolean hex = token.matches("[0-9a-f]+") || token.matches("[0-9A-F]+");
    return hex ? Math.min(size, 16) : size;
  }

  /**
   * What a listing may show of {@code token}: its {@code siyu_} marker, if any, and the next
   * {@value #SHOWN} characters — only when the rest alone would still pass {@link #weakness}, so the
   * shown part never brings a guess within reach. Null otherwise.
   */
  static String shownPrefix(String token) {
    int end = (token.startsWith(PREFIX) ? PREFIX.length() : 0) + SHOWN;
    if (token.length() <= end || weakness(token.substring(end)) != null) {
      return null;
    }
    return token.substring(0, end);
  }
}
