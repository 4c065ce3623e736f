package io.siyu.template;

import java.util.Set;
import java.util.function.UnaryOperator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Rendered HTML made safe to send: jsoup's relaxed safelist (paragraphs, headings, lists, tables,
 * emphasis, images over http/https, links over http/https/mailto) and nothing else, so scripts,
 * styles, event handlers and {@code javascript:} URLs are gone. The sanitising runs on the rendered
 * output, so what a variable brings in is cleaned too.
 */
final class SafeHtml {
  private static final Safelist SAFELIST = Safelist.relaxed().removeProtocols("a", "href", "ftp");

  private SafeHtml() {}

  /** The cleaned body of {@code html}, its links rewritten by {@code rewriter} and noted in {@code links}. */
  static Element clean(String html, UnaryOperator<String> rewriter, Set<String> links) {
    Document clean = new Cleaner(SAFELIST).clean(Jsoup.parseBodyFragment(html));
    clean.outputSettings().prettyPrint(false);
    for (Element a : clean.select("a[href]")) {
      links.add(a.attr("href"));
      a.attr("href", rewriter.apply(a.attr("href")));
    }
    // a URL written as text in the HTML is a link too: rewrite it in place, so the HTML and the text agree
    for (Element e : clean.body().select("*")) { // the body itself included
      for (TextNode t : e.textNodes()) {
        t.text(TextLinks.rewrite(t.getWholeText(), rewriter, links));
      }
    }
    return clean.body();
  }
}
