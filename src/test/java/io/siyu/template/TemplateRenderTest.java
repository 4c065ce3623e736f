package io.siyu.template;

import static io.siyu.template.TemplateFixtures.contact;
import static io.siyu.template.TemplateFixtures.create;
import static io.siyu.template.TemplateFixtures.email;
import static io.siyu.template.TemplateFixtures.render;
import static io.siyu.template.TemplateFixtures.renderError;
import static io.siyu.template.TemplateFixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering as the dispatcher calls it: variables and defaults, HTML, text, limits, fallbacks and links. */
class TemplateRenderTest {

  @Test
  void aDefaultFillsInForAMissingOrEmptyValue() {
    String key = create("hello", variant("wecom", "zh-CN", "{{ contact.name | default: \"朋友\" }}，您好"));
    assertEquals("朋友，您好", render(key, "wecom", "zh-CN", contact(null)).text());
    assertEquals("朋友，您好", render(key, "wecom", "zh-CN", contact("")).text());
    assertEquals("李雷，您好", render(key, "wecom", "zh-CN", contact("李雷")).text());
  }

  @Test
  void aMissingVariableWithoutDefaultFailsTheRenderNamingIt() {
    String key = create("strict", variant("sms", "zh-CN", "{{ contact.name | default: \"朋友\" }}，{{ contact.nickname }}"));
    assertEquals("contact.nickname is not defined", renderError(key, "sms", "zh-CN", contact("李雷")));
    JsonObject vars = contact("李雷");
    vars.getJsonObject("contact").put("nickname", "小李");
    assertEquals("李雷，小李", render(key, "sms", "zh-CN", vars).text());
  }

  @Test
  void aVariableUsedBothWithAndWithoutDefaultIsRequired() {
    String key = create("mixed", variant("sms", "zh-CN", "{{ coupon.code | default: \"-\" }} / {{ coupon.code }}"));
    assertEquals("coupon.code is not defined", renderError(key, "sms", "zh-CN", contact("x")));
  }

  @Test
  void aDefaultWhoseFallbackIsMissingFailsToo() {
    String key = create("fallback", variant("sms", "zh-CN", "{{ contact.nickname | default: contact.name }}"));
    assertEquals("李雷", render(key, "sms", "zh-CN", contact("李雷")).text());
    assertEquals("contact.name is not defined", renderError(key, "sms", "zh-CN", contact(null)));
  }

  @Test
  void missesInsideLoopsAndConditionsCount() {
    String loop = create("loop", variant("sms", "zh-CN", "{% for c in coupons %}{{ c.code }};{% endfor %}"));
    JsonObject vars = new JsonObject().put("coupons", new JsonArray().add(new JsonObject().put("code", "A"))
        .add(new JsonObject().put("name", "no code")));
    assertEquals("c.code is not defined", renderError(loop, "sms", "zh-CN", vars));
    String cond = create("cond", variant("sms", "zh-CN", "{% if right.name %}有礼{% endif %}好"));
    assertEquals("right.name is not defined", renderError(cond, "sms", "zh-CN", contact("x")));
    // the documented way to test an optional value: give it a default first
    String optional = create("opt", variant("sms", "zh-CN",
        "{% assign gift = right.name | default: \"\" %}{% if gift != \"\" %}{{ gift }}{% else %}好{% endif %}"));
    assertEquals("好", render(optional, "sms", "zh-CN", contact("x")).text());
    assertEquals("生日礼", render(optional, "sms", "zh-CN",
        new JsonObject().put("right", new JsonObject().put("name", "生日礼"))).text());
  }

  @Test
  void htmlIsSanitisedAndLinksKept() {
    String key = create("safe", email("zh-CN", "标题",
        "<p onclick=\"steal()\">你好<script>alert(1)</script></p>"
            + "<a href=\"javascript:alert(2)\">坏链接</a> <a href=\"https://example.com/a\" onmouseover=\"x()\">好链接</a> "
            + "<a href=\"mailto:care@example.com\">邮件</a><img src=\"https://example.com/i.png\" onerror=\"y()\" alt=\"图\">"
            + "<style>p{}</style><iframe src=\"https://evil.example\"></iframe>"));
    Rendered r = render(key, "email", "zh-CN", contact("x"));
    for (String gone : List.of("script", "alert", "onclick", "onmouseover", "onerror", "javascript:", "style", "iframe")) {
      assertFalse(r.html().contains(gone), gone + " should be gone: " + r.html());
    }
    assertTrue(r.html().contains("<a href=\"https://example.com/a\">好链接</a>"), r.html());
    assertTrue(r.html().contains("href=\"mailto:care@example.com\""), r.html());
    assertTrue(r.html().contains("<img src=\"https://example.com/i.png\" alt=\"图\">"), r.html());
    assertEquals(List.of("https://example.com/a", "mailto:care@example.com"), r.links());
    assertEquals("标题", r.subject());
  }

  @Test
  void htmlBecomesTextWithItsParagraphsLinesAndLinks() {
    String key = create("text", variant("default", "zh-CN",
        "<h1>欢迎</h1><p>第一段<br>第二行</p><p>请看 <a href=\"https://example.com/g\">指南</a>，"
            + "或 <a href=\"https://example.com/h\">https://example.com/h</a>。</p><ul><li>一</li><li>二</li></ul>")
        .put("format", "html"));
    Rendered sms = render(key, "sms", "zh-CN", contact("x"));
    assertEquals("欢迎\n\n第一段\n第二行\n\n请看 指南 (https://example.com/g)，或 https://example.com/h。\n\n- 一\n- 二", sms.text());
    assertNull(sms.html(), "SMS takes text only");
    assertNull(sms.subject());
    Rendered webhook = render(key, "webhook", "zh-CN", contact("x"));
    assertTrue(webhook.html().startsWith("<h1>欢迎</h1>"), webhook.html());
  }

  @Test
  void aTextVariantGivesEmailHtmlToo() {
    String key = create("plain", variant("email", "zh-CN", "第一段 <b>\n\n第二段\n第三行").put("subject", "主题")
        .put("format", "text"));
    Rendered r = render(key, "email", "zh-CN", contact("x"));
    assertEquals("<p>第一段 &lt;b&gt;</p><p>第二段<br>第三行</p>", r.html());
    assertEquals("第一段 <b>\n\n第二段\n第三行", r.text());
  }

  @Test
  void channelLimitsAreCheckedAtRenderTime() {
    String key = create("long", variant("sms", "zh-CN", "{{ body }}"), variant("wecom", "zh-CN", "{{ body }}"),
        email("zh-CN", "{{ subject }}", "<p>{{ body }}</p>"));
    JsonObject ok = new JsonObject().put("body", "长".repeat(500)).put("subject", "题".repeat(200));
    assertEquals(500, render(key, "sms", "zh-CN", ok).text().length());
    assertEquals(200, render(key, "email", "zh-CN", ok).subject().length());
    JsonObject tooLong = new JsonObject().put("body", "长".repeat(501)).put("subject", "题".repeat(201));
    assertEquals("template too large: sms text is 501 characters, over the limit of 500",
        renderError(key, "sms", "zh-CN", tooLong));
    assertEquals("template too large: email subject is 201 characters, over the limit of 200",
        renderError(key, "email", "zh-CN", tooLong));
    JsonObject wecom = new JsonObject().put("body", "长".repeat(682));
    assertEquals(682, render(key, "wecom", "zh-CN", wecom).text().length(), "WeCom takes 2,048 bytes: 682 of these");
    assertEquals("template too large: wecom text is 2049 bytes, over the limit of 2048",
        renderError(key, "wecom", "zh-CN", wecom.put("body", "长".repeat(683))));
  }

  @Test
  void localesAndChannelsFallBackInTheDocumentedOrder() {
    String key = create("fallback", variant("sms", "en", "sms en"), variant("sms", "zh-TW", "sms zh-TW"),
        variant("sms", "zh", "sms zh"), variant("default", "zh-CN", "default zh-CN"), variant("default", "fr", "default fr"),
        variant("default", "ja", "default ja"));
    assertEquals("sms en", render(key, "sms", "en", contact("x")).text(), "the requested locale");
    assertEquals("sms en", render(key, "sms", "en-GB", contact("x")).text(), "the language without region");
    assertEquals("sms zh", render(key, "sms", "zh-HK", contact("x")).text(), "the language before another region");
    assertEquals("sms zh-TW", render(key, "sms", "zh-tw", contact("x")).text(), "locale tags in any case");
    assertEquals("sms zh", render(key, "sms", "zh-CN", contact("x")).text());
    Rendered other = render(key, "sms", "de", contact("x"));
    assertEquals("sms en", other.text(), "no zh-CN sms: the first sms variant by locale");
    assertEquals("en", other.locale());
    assertEquals("default zh-CN", render(key, "wecom", "de", contact("x")).text(), "no wecom: default, then zh-CN");
    assertEquals("default fr", render(key, "wecom", "fr-CA", contact("x")).text());
    assertEquals("default zh-CN", render(key, "wecom", null, contact("x")).text(), "no locale means zh-CN");
    Rendered viaDefault = render(key, "log", "ja", contact("x"));
    assertEquals("default", viaDefault.channel());
    assertEquals("ja", viaDefault.locale());
    String noDefault = create("nodefault", variant("sms", "zh-CN", "只有短信"));
    assertEquals("template " + noDefault + " has no wecom variant and no default variant",
        renderError(noDefault, "wecom", "zh-CN", contact("x")));
  }

  @Test
  void onlyAnotherRegionOfTheLanguageFallsBackToIt() {
    String key = create("region", variant("default", "en-US", "en-US"), variant("default", "zh-CN", "zh-CN"));
    assertEquals("en-US", render(key, "sms", "en-GB", contact("x")).text());
    assertEquals("zh-CN", render(key, "sms", "ko", contact("x")).text());
  }

  @Test
  void everyLinkCanBeRewrittenForClickTracking() {
    String key = create("links", email("zh-CN", "题", "<p><a href=\"https://example.com/a?x=1&amp;y=2\">领取</a> "
            + "或访问 https://example.com/b。<a href=\"mailto:care@example.com\">客服</a></p>"),
        variant("sms", "zh-CN", "领取 https://example.com/a?x=1&y=2，详情 http://example.com/c."));
    Rendered mail = render(key, "email", "zh-CN", contact("x"), url -> "https://t.example/" + Math.abs(url.hashCode()));
    String a = "https://t.example/" + Math.abs("https://example.com/a?x=1&y=2".hashCode());
    String b = "https://t.example/" + Math.abs("https://example.com/b".hashCode());
    assertTrue(mail.html().contains("href=\"" + a + "\""), mail.html());
    assertTrue(mail.html().contains(b), mail.html());
    assertFalse(mail.html().contains("example.com/a"), mail.html());
    assertEquals(List.of("https://example.com/a?x=1&y=2", "mailto:care@example.com", "https://example.com/b"), mail.links());
    assertTrue(mail.text().startsWith("领取 (" + a + ") 或访问 " + b + "。"), mail.text());

    Rendered sms = render(key, "sms", "zh-CN", contact("x"), url -> "https://t.example/s");
    assertEquals("领取 https://t.example/s，详情 https://t.example/s.", sms.text());
    assertEquals(List.of("https://example.com/a?x=1&y=2", "http://example.com/c"), sms.links());
    assertEquals("领取 https://example.com/a?x=1&y=2，详情 http://example.com/c.",
        render(key, "sms", "zh-CN", contact("x")).text(), "no rewriter: links as written");
  }

  @Test
  void theResultNamesItsVersionAndKind() {
    String key = create("meta", variant("default", "zh-CN", "v1"));
    Rendered r = render(key, "log", "zh-CN", contact("x"));
    assertEquals(key, r.key());
    assertEquals(1, r.version());
    assertEquals("marketing", r.kind());
    TemplateFixtures.api.post("/api/v1/templates/" + key + "/versions",
        new JsonObject().put("variants", new JsonArray().add(variant("default", "zh-CN", "v2"))));
    Rendered second = render(key, "log", "zh-CN", contact("x"));
    assertEquals(2, second.version(), "a local new version is current at once");
    assertEquals("v2", second.text());
  }

  @Test
  void renderForContactReadsTheContactAndKeepsTheOtherVariables() {
    long contact = TemplateFixtures.api.post("/api/v1/contacts", new JsonObject()
        .put("external_userid", TemplateFixtures.key("ext")).put("name", "王芳")).json().getLong("id");
    String key = create("forcontact", variant("wecom", "zh-CN",
        "{{ contact.name }}：{{ journey.key }}/{{ journey.step }}，{{ contact.tier | default: '普通' }}"));
    JsonObject vars = new JsonObject().put("journey", new JsonObject().put("key", "welcome").put("step", "sendDay1"))
        .put("contact", new JsonObject().put("name", "not this one"));
    Rendered r = Await.result(TemplateFixtures.service().renderForContact(contact, key, "wecom", "zh-CN", vars, null));
    assertEquals("王芳：welcome/sendDay1，普通", r.text());
    String noName = create("noname", variant("wecom", "zh-CN", "{{ contact.name }}"));
    long nameless = TemplateFixtures.api.post("/api/v1/contacts", new JsonObject()
        .put("external_userid", TemplateFixtures.key("ext"))).json().getLong("id");
    assertEquals("contact.name is not defined", renderError(
        TemplateFixtures.service().renderForContact(nameless, noName, "wecom", "zh-CN", null, null)));
  }

  @Test
  void unknownTemplatesAndChannelsAreRenderErrors() {
    assertEquals("template no_such_template does not exist", renderError("no_such_template", "sms", "zh-CN", contact("x")));
    String key = create("chan", variant("default", "zh-CN", "x"));
    assertTrue(renderError(key, "fax", "zh-CN", contact("x")).startsWith("channel fax is not one of"));
  }
}
