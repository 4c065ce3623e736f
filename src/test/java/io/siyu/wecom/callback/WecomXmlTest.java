package io.siyu.wecom.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The reader of WeCom's XML: what it makes of the shapes WeCom sends, and every way it refuses
 * what is not one of them. (The endpoint's tests send the same refusals over HTTP and check that
 * nothing is stored.)
 */
class WecomXmlTest {
  @Test
  void readsTencentsPublishedSampleMessage() {
    // the plain message of Tencent's WXBizMsgCrypt sample
    String xml = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
        + "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
        + "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
        + "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
    assertEquals(new JsonObject().put("ToUserName", "wx5823bf96d3bd56c7").put("FromUserName", "mycreate")
        .put("CreateTime", "1409659813").put("MsgType", "text").put("Content", "hello")
        .put("MsgId", "4561255354251345929").put("AgentID", "218"), WecomXml.elements(xml));
  }

  @Test
  void aListOfItemsIsAnArrayAndOneItemIsAnObjectField() {
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a group chat's members -->\n<xml>"
        + "<ChatId><![CDATA[wrOgQh]]></ChatId><MemChangeList><Item><![CDATA[wmA]]></Item>"
        + "<Item>wmB</Item></MemChangeList><Single><Item>wmC</Item></Single><Empty/><Blank></Blank></xml>\n";
    JsonObject fields = WecomXml.elements(xml);
    assertEquals("wrOgQh", fields.getString("ChatId"));
    assertEquals(new JsonArray().add("wmA").add("wmB"), fields.getJsonObject("MemChangeList").getJsonArray("Item"));
    assertEquals("wmC", fields.getJsonObject("Single").getString("Item"));
    assertEquals("", fields.getString("Empty"));
    assertEquals("", fields.getString("Blank"));
  }

  @Test
  void textJoinsItsPiecesAndDecodesXmlsOwnEntitiesAndCharacterReferences() {
    String xml = "<xml><Name attr='a&gt;b' other=\"x\">张&amp;三 <![CDATA[<b>&amp;</b>]]> &lt;&#20116;&#x4E94;&gt;"
        + "&quot;&apos;<!-- not text --> 😀</Name></xml>";
    assertEquals("张&三 <b>&amp;</b> <五五>\"' 😀", WecomXml.elements(xml).getString("Name"));
  }

  @Test
  void aDoctypeIsRefusedWhereverItIs() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><A>&x;</A></xml>";
    assertRefused(xxe, "DOCTYPE");
    assertRefused("<!-- first --><!DOCTYPE xml><xml/>", "DOCTYPE");
    assertRefused("<xml><!DOCTYPE xml><A/></xml>", "markup declarations");
    assertRefused("<xml/><!DOCTYPE xml>", "after the root");
  }

  @Test
  void entitiesOtherThanXmlsOwnAreRefused() {
    assertRefused("<xml><A>&lol9;</A></xml>", "&lol9;");
    assertRefused("<xml><A>&#0;</A></xml>", "&#0;");
    assertRefused("<xml><A>&#xD800;</A></xml>", "&#xD800;");
    assertRefused("<xml><A>&#xZZ;</A></xml>", "&#xZZ;");
    assertRefused("<xml><A>a & b</A></xml>", "entity");
  }

  @Test
  void malformedMessagesAreRefused() {
    assertRefused("", "'<' expected");
    assertRefused("not xml", "'<' expected");
    assertRefused("<xml><A>1</B></xml>", "<A> closed by </B>");
    assertRefused("<xml><A>1</A>", "<xml> is not closed");
    assertRefused("<xml><A><![CDATA[1</A></xml>", "CDATA");
    assertRefused("<xml><A x='1>2</A></xml>", "attribute");
    assertRefused("<xml><A", "unterminated tag");
    assertRefused("<xml></xml>trailing", "after the root");
    assertRefused("<xml></xml><xml></xml>", "after the root");
    assertRefused("<xml><></></xml>", "without a name");
    assertRefused("<xml><!-- open</xml>", "comment");
  }

  @Test
  void nestingBeyondTheLimitIsRefusedNotAStackOverflow() {
    String deep = "<a>".repeat(20_000) + "</a>".repeat(20_000);
    assertRefused(deep, "nested deeper than " + WecomXml.MAX_DEPTH);
    String fine = "<a>".repeat(WecomXml.MAX_DEPTH) + "x" + "</a>".repeat(WecomXml.MAX_DEPTH);
    assertEquals(WecomXml.MAX_DEPTH - 1, depth(WecomXml.elements(fine)));
  }

  private static int depth(JsonObject o) {
    Object inner = o.getValue("a");
    return inner instanceof JsonObject j ? 1 + depth(j) : 1;
  }

  private static void assertRefused(String xml, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WecomXml.elements(xml), xml);
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
