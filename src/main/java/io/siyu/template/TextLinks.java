package io.siyu.template;

import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The http(s) URLs in plain text: found, noted and rewritten (for click tracking) in place. */
final class TextLinks {
  /**
   * Only the characters a URL may hold (RFC 3986), so Chinese text or punctuation right after a
   * link ends it: "点击 https://s.example.cn/a，领取" finds {@code https://s.example.cn/a}.
   */
  private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]+");
  /** Sentence punctuation that ends a URL in prose rather than belonging to it. */
  private static final String TRAILING = ".,;:!?)]'";

  private TextLinks() {}

  /** {@code text} with every URL passed through {@code rewriter}; each original URL is added to {@code found}. */
  static String rewrite(String text, UnaryOperator<String> rewriter, Set<String> found) {
    Matcher m = URL.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String url = trimTrailing(m.group());
      found.add(url);
      out.append(text, last, m.start()).append(rewriter.apply(url));
      last = m.start() + url.length();
    }
    return out.append(text, last, text.length()).toString();
  }

  private static String trimTrailing(String url) {
    int end = url.length();
    while (end > 0 && TRAILING.indexOf(url.charAt(end - 1)) >= 0) {
      end--;
    }
    return url.substring(0, end);
  }
}
