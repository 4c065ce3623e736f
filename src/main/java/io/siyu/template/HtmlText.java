package io.siyu.template;

import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Between HTML and plain text, for channels that take the other. HTML to text keeps the shape a
 * reader sees: paragraphs and headings apart by a blank line, {@code <br>} and list items on lines
 * of their own, a link as "text (url)" unless its text is the URL.
 */
final class HtmlText {
  /** Elements that end with a blank line after them. */
  private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul",
      "ol", "table", "pre");
  /** Elements that start and end on a line of their own. */
  private static final Set<String> LINES = Set.of("div", "li", "tr", "hr", "dd", "dt");

  private HtmlText() {}

  static String toText(Element root) {
    StringBuilder out = new StringBuilder();
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode text) {
          appendText(out, text);
        } else if (node instanceof Element e) {
          open(out, e);
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e) {
          close(out, e);
        }
      }
    }, root);
    return tidy(out.toString());
  }

  /** Plain text as HTML for channels that take HTML: escaped, blank lines as paragraphs, line breaks kept. */
  static String toHtml(String text) {
    StringBuilder html = new StringBuilder();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      html.append("<p>").append(Entities.escape(paragraph.strip()).replace("\n", "<br>")).append("</p>");
    }
    return html.toString();
  }

  private static void appendText(StringBuilder out, TextNode text) {
    boolean pre = text.parent() != null && "pre".equals(text.parent().normalName());
    String s = pre ? text.getWholeText() : text.text();
    if (!pre && atLineStart(out)) {
      s = s.stripLeading();
    }
    out.append(s);
  }

  private static void open(StringBuilder out, Element e) {
    String tag = e.normalName();
    if ("br".equals(tag)) {
      out.append('\n');
    } else if (PARAGRAPHS.contains(tag) || LINES.contains(tag)) {
      newLine(out);
      if ("li".equals(tag)) {
        out.append("- ");
      }
    } else if ("img".equals(tag) && !e.attr("alt").isBlank()) {
      out.append(e.attr("alt"));
    } else if ("td".equals(tag) || "th".equals(tag)) {
      if (!atLineStart(out)) {
        out.append(' ');
      }
    }
  }

  private static void close(StringBuilder out, Element e) {
    String tag = e.normalName();
    if (PARAGRAPHS.contains(tag)) {
      out.append("\n\n");
    } else if (LINES.contains(tag)) {
      newLine(out);
    } else if ("a".equals(tag)) {
      String href = e.attr("href");
      String label = e.text().strip();
      if (!href.isEmpty() && !href.equals(label) && !href.equals("mailto:" + label)) {
        out.append(label.isEmpty() ? href : " (" + href + ")");
      }
    }
  }

  private static boolean atLineStart(StringBuilder out) {
    return out.length() == 0 || out.charAt(out.length() - 1) == '\n';
  }

  private static void newLine(StringBuilder out) {
    if (!atLineStart(out)) {
      out.append('\n');
    }
  }

  /** No spaces at line ends, never more than one blank line, nothing around the whole. */
  private static String tidy(String text) {
    return text.replaceAll("[ \\t\\u00A0]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
  }
}
