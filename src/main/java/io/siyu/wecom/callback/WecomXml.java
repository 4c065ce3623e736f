package io.siyu.wecom.callback;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A reader of the XML that WeCom and the WeChat Official Account send: a root element whose
 * children are elements holding text or CDATA, or more such elements (the {@code Item}s of a group
 * chat's member list). It returns the root's children as JSON: a leaf element is its text, an
 * element with children is an object, a name repeated under one parent becomes an array.
 *
 * <p>Why not a general XML parser: every callback is read twice on the event loop (the envelope,
 * then the decrypted message), and Xerces building a DOM cost about 6.5 µs a read — a third of the
 * event loop's time during a burst of callbacks. This reader is a small fraction of that, and it is
 * safer by construction: it knows no DTD, so no entity can be declared, expanded or fetched. A
 * {@code <!DOCTYPE}, an entity other than XML's five and character references, a mismatched or
 * unterminated tag, text after the root, or nesting deeper than {@link #MAX_DEPTH} is refused.
 * Comments, processing instructions (the XML declaration) and attributes are skipped.
 */
final class WecomXml {
  /** WeCom nests two levels at most (root, list, item); anything far deeper is not WeCom's. */
  static final int MAX_DEPTH = 16;

  private final String xml;
  private int at;

  private WecomXml(String xml) {
    this.xml = xml;
  }

  /**
   * The children of {@code xml}'s root element as JSON.
   *
   * @throws IllegalArgumentException when it is not well-formed XML of that shape
   */
  static JsonObject elements(String xml) {
    WecomXml reader = new WecomXml(xml);
    reader.skipProlog();
    reader.expect('<');
    Object root = reader.elementRest(reader.name(), 1);
    reader.skipMisc();
    if (reader.at < xml.length()) {
      throw reader.refused("content after the root element");
    }
    return root instanceof JsonObject children ? children : new JsonObject();
  }

  /** The byte-order mark, whitespace, the XML declaration, comments; a DOCTYPE is refused. */
  private void skipProlog() {
    if (xml.startsWith("\uFEFF")) {
      at++;
    }
    skipMisc();
    if (xml.startsWith("<!DOCTYPE", at)) {
      throw refused("a DOCTYPE (no DTD is accepted)");
    }
  }

  private void skipMisc() {
    while (true) {
      skipSpace();
      if (xml.startsWith("<?", at)) {
        at = endOf("?>", "processing instruction");
      } else if (xml.startsWith("<!--", at)) {
        at = endOf("-->", "comment");
      } else {
        return;
      }
    }
  }

  /**
   * Reads an element after its name (attributes, then content up to its end tag): a String when
   * it holds only text, a JsonObject when it holds elements.
   */
  private Object elementRest(String name, int depth) {
    if (depth > MAX_DEPTH) {
      throw refused("elements nested deeper than " + MAX_DEPTH);
    }
    if (skipAttributes()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    JsonObject children = null;
    while (true) {
      int lt = xml.indexOf('<', at);
      if (lt < 0) {
        throw refused("<" + name + "> is not closed");
      }
      appendText(text, at, lt);
      at = lt;
      if (xml.startsWith("</", at)) {
        at += 2;
        String closing = name();
        skipSpace();
        expect('>');
        if (!closing.equals(name)) {
          throw refused("<" + name + "> closed by </" + closing + ">");
        }
        return children != null ? children : text.toString();
      } else if (xml.startsWith("<![CDATA[", at)) {
        int end = xml.indexOf("]]>", at + 9);
        if (end < 0) {
          throw refused("an unterminated CDATA section");
        }
        text.append(xml, at + 9, end);
        at = end + 3;
      } else if (xml.startsWith("<!--", at)) {
        at = endOf("-->", "comment");
      } else if (xml.startsWith("<?", at)) {
        at = endOf("?>", "processing instruction");
      } else if (xml.startsWith("<!", at)) {
        throw refused("markup declarations inside an element");
      } else {
        at++;
        String child = name();
        children = children == null ? new JsonObject() : children;
        add(children, child, elementRest(child, depth + 1));
      }
    }
  }

  private static void add(JsonObject parent, String name, Object value) {
    Object earlier = parent.getValue(name);
    if (earlier == null) {
      parent.put(name, value);
    } else if (earlier instanceof JsonArray list) {
      list.add(value);
    } else {
      parent.put(name, new JsonArray().add(earlier).add(value));
    }
  }

  /** Reads the tag name at the cursor. */
  private String name() {
    int start = at;
    while (at < xml.length()) {
      char c = xml.charAt(at);
      if (c == '>' || c == '/' || c == '<' || c == '=' || c == '&' || c == '"' || c == '\'' || Character.isWhitespace(c)) {
        break;
      }
      at++;
    }
    if (at == start || xml.charAt(start) == '!' || xml.charAt(start) == '?') {
      throw refused("a tag without a name");
    }
    return xml.substring(start, at);
  }

  /** Skips attributes up to the end of the start tag; true when the tag was empty ({@code <a/>}). */
  private boolean skipAttributes() {
    while (at < xml.length()) {
      char c = xml.charAt(at++);
      if (c == '>') {
        return false;
      } else if (c == '/') {
        expect('>');
        return true;
      } else if (c == '"' || c == '\'') {
        int close = xml.indexOf(c, at);
        if (close < 0) {
          throw refused("an unterminated attribute value");
        }
        at = close + 1;
      } else if (c == '<') {
        throw refused("'<' inside a tag");
      }
    }
    throw refused("an unterminated tag");
  }

  /** Appends text between elements, replacing XML's five entities and character references. */
  private void appendText(StringBuilder text, int from, int to) {
    int amp = xml.indexOf('&', from);
    while (amp >= 0 && amp < to) {
      text.append(xml, from, amp);
      int semi = xml.indexOf(';', amp);
      if (semi < 0 || semi > to) {
        throw refused("an unterminated entity reference");
      }
      appendEntity(text, xml.substring(amp + 1, semi));
      from = semi + 1;
      amp = xml.indexOf('&', from);
    }
    text.append(xml, from, to);
  }

  private void appendEntity(StringBuilder text, String entity) {
    switch (entity) {
      case "lt" -> text.append('<');
      case "gt" -> text.append('>');
      case "amp" -> text.append('&');
      case "apos" -> text.append('\'');
      case "quot" -> text.append('"');
      default -> text.appendCodePoint(characterReference(entity));
    }
  }

  private int characterReference(String entity) {
    try {
      if (entity.startsWith("#x")) {
        return validCodePoint(Integer.parseInt(entity.substring(2), 16), entity);
      } else if (entity.startsWith("#")) {
        return validCodePoint(Integer.parseInt(entity.substring(1)), entity);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw refused("the entity &" + entity + "; (only XML's own five and character references are known)");
  }

  private int validCodePoint(int cp, String entity) {
    if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw refused("the character reference &" + entity + ";");
    }
    return cp;
  }

  private int endOf(String terminator, String what) {
    int end = xml.indexOf(terminator, at + 2);
    if (end < 0) {
      throw refused("an unterminated " + what);
    }
    return end + terminator.length();
  }

  private void skipSpace() {
    while (at < xml.length() && Character.isWhitespace(xml.charAt(at))) {
      at++;
    }
  }

  private void expect(char c) {
    if (at >= xml.length() || xml.charAt(at) != c) {
      throw refused("'" + c + "' expected");
    }
    at++;
  }

  private IllegalArgumentException refused(String what) {
    return new IllegalArgumentException("not a well-formed message: " + what + " at character " + at);
  }
}
