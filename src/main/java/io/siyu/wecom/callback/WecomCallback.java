package io.siyu.wecom.callback;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * One decrypted WeCom callback, as stored in the callback inbox: its {@code Event} and
 * {@code ChangeType}, and every element of the message as JSON. A leaf element is its text; an
 * element with children is an object; a name repeated under one parent (the {@code Item}s of a
 * group chat's member list) becomes an array.
 *
 * @param id the inbox row, stable across retries and replays: handlers derive their idempotency
 *     keys (event ids, say) from it or from the message's own ids
 */
public record WecomCallback(long id, String event, String changeType, JsonObject fields, Instant receivedAt) {
  /** Decrypted callbacks are small; anything larger is not WeCom's. */
  public static final int MAX_XML_CHARS = 64 * 1024;
  /** The fields that name what a callback is about, in the order they are looked for (see {@link #subject}). */
  private static final List<String> SUBJECTS = List.of("ExternalUserID", "ChatId", "UserID", "Id");

  /**
   * What the callback is about, e.g. {@code ExternalUserID:wmxxxx}: callbacks about the same thing
   * are handled in the order they arrived (a deletion must not overtake the addition before it).
   */
  public String subject() {
    for (String name : SUBJECTS) {
      String value = field(name);
      if (value != null && !value.isEmpty()) {
        return name + ":" + value;
      }
    }
    return "callback:" + id;
  }

  /** A top-level element's text, or null. */
  public String field(String name) {
    Object v = fields.getValue(name);
    return v == null ? null : v.toString();
  }

  /**
   * The elements of a decrypted message (not yet stored: id 0, received now). XML with a DOCTYPE
   * is refused outright, so no entity can be declared, expanded or fetched.
   *
   * @throws IllegalArgumentException when it is not a well-formed, DTD-free message under the size limit
   */
  public static WecomCallback parse(String xml) {
    JsonObject fields = elements(xml);
    return new WecomCallback(0, stringOrNull(fields, "Event"), stringOrNull(fields, "ChangeType"), fields, Instant.now());
  }

  /** The children of the document's root element as JSON (see the class comment). */
  public static JsonObject elements(String xml) {
    if (xml == null || xml.length() > MAX_XML_CHARS) {
      throw new IllegalArgumentException("message missing or larger than " + MAX_XML_CHARS + " characters");
    }
    DocumentBuilder builder = BUILDER.get();
    try {
      Element root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
      return children(root);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("not a well-formed message without DTD: " + e.getMessage(), e);
    } finally {
      // back to how the factory made it, whatever this parse left behind
      builder.reset();
      builder.setErrorHandler(null);
    }
  }

  private static JsonObject children(Element parent) {
    JsonObject out = new JsonObject();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        Object value = hasElementChildren(child) ? children(child) : child.getTextContent();
        Object earlier = out.getValue(child.getTagName());
        if (earlier == null) {
          out.put(child.getTagName(), value);
        } else if (earlier instanceof JsonArray list) {
          list.add(value);
        } else {
          out.put(child.getTagName(), new JsonArray().add(earlier).add(value));
        }
      }
    }
    return out;
  }

  private static boolean hasElementChildren(Element e) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element) {
        return true;
      }
    }
    return false;
  }

  private static String stringOrNull(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String s ? s : null;
  }

  /**
   * A parser per thread, kept: making one sets up Xerces' whole configuration, which cost more than
   * the parse itself — two per callback (the envelope and the message) on the event loop.
   */
  private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
    try {
      DocumentBuilder builder = factory().newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the XML parser cannot be made", e);
    }
  });

  /** DTDs off (the OWASP setting), no external anything, secure processing limits on. */
  private static DocumentBuilderFactory factory() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    try {
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the XML parser cannot be made safe", e);
    }
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setNamespaceAware(false);
    return f;
  }
}
