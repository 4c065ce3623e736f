package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.siyu.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.siyu.support.Api;
import io.siyu.support.Browser;
import io.siyu.support.TestSiyu;
import io.siyu.support.Unique;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An operator's day in a real browser: draw a journey on an empty canvas with the mouse, deploy it,
 * see a registering member go through it on Contact 360; a journey the server refuses shows why on
 * the element and deploys nothing; a template previewed for a contact as they would read it.
 */
class OperatorJourneyBrowserTest {
  private static final Pattern DEPLOYED = Pattern.compile("/console/journeys/(journey_[a-z0-9]+)$");
  private static final Api admin = TestSiyu.admin();
  private static final Browser browser = Browser.shared();

  @Test
  void anOperatorDrawsAJourneyDeploysItAndSeesAMemberGoThroughItOnContact360() throws Exception {
    String template = "hello_" + Unique.unique();
    made(admin.post("/api/v1/templates", new JsonObject().put("key", template).put("kind", "marketing")
        .put("description", "新会员问候").put("variants", new JsonArray().add(new JsonObject().put("channel", "default")
            .put("locale", "zh-CN").put("body", "{{ contact.name | default: \"朋友\" }}，欢迎加入！")))));
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = ConsoleUser.make("operator").signIn(tab.page());
      assertThat(page.getByTestId("journey-welcome")).isVisible();

      page.getByTestId("new-journey").click();
      DesignerCanvas canvas = new DesignerCanvas(page);
      String start = canvas.drop("siyu-journey-start", 340, 200);
      assertThat(canvas.field("Trigger")).hasValue("event");
      canvas.fill("Event types", "member.registered");
      String send = canvas.drop("siyu-send-message", 560, 200);
      Locator templateKey = canvas.field("Template key");
      assertTrue(templateKey.locator("option").allTextContents().stream().anyMatch(o -> o.startsWith(template + " — 新会员问候")),
          "the dropdown offers the server's templates by key and name");
      templateKey.selectOption(template);
      canvas.field("Channel").selectOption("log");
      String end = canvas.drop("create.end-event", 780, 200);
      canvas.connect(start, send);
      canvas.connect(send, end);
      canvas.name(send, "发送问候");
      String journeyName = "新会员问候 " + Unique.unique().substring(0, 4);
      canvas.nameProcess(journeyName);

      page.getByTestId("validate").click();
      assertThat(page.getByTestId("designer-status")).not().hasText("正在校验…");
      assertEquals(List.of(), page.getByTestId("problems").locator("li").allTextContents(), "the server's problems");
      assertThat(page.getByTestId("designer-status")).hasText("校验通过，可以部署。");
      canvas.select(send);
      assertThat(canvas.field("Template key")).hasValue(template);
      tab.screenshot("designer");
      page.getByTestId("deploy").click();
      page.waitForURL(DEPLOYED.asPredicate());
      Matcher deployed = DEPLOYED.matcher(page.url());
      assertTrue(deployed.find(), page.url());
      String key = deployed.group(1);
      assertThat(page.getByTestId("current-version")).hasText("v1");
      assertThat(page.getByTestId("version-1")).isVisible();

      // the server holds what was drawn
      JsonObject journey = admin.get("/api/v1/journeys/" + key).json();
      assertEquals(new JsonArray().add("member.registered"), journey.getJsonObject("trigger").getJsonArray("events"), journey.encode());
      assertEquals("active", journey.getString("status"));
      String xml = admin.get("/api/v1/journeys/" + key + "/versions/1/bpmn").body();
      assertTrue(xml.contains(">" + template + "</camunda:inputParameter>"), xml);
      assertTrue(xml.contains("name=\"发送问候\""), xml);
      assertEquals(journeyName, journey.getString("name"));
      assertTrue(xml.contains("sourceRef=\"" + start + "\" targetRef=\"" + send + "\""), xml);
      assertTrue(xml.contains("sourceRef=\"" + send + "\" targetRef=\"" + end + "\""), xml);

      // a member registers and goes through it
      String u = Unique.unique();
      String mobile = "137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
      String name = "林小雨" + u.substring(0, 4);
      Api.Reply registered = admin.post("/api/v1/events", new JsonObject().put("id", "reg-" + u).put("type", "member.registered")
          .put("contact", new JsonObject().put("mobile", mobile).put("name", name)));
      assertEquals(201, registered.status(), registered.toString());
      long contact = registered.json().getLong("contact_id");
      long touch = await("the journey's touch to be sent", () -> admin.get("/api/v1/touches?contact_id=" + contact).items().stream()
          .map(JsonObject.class::cast).filter(t -> template.equals(t.getString("template_key")) && "sent".equals(t.getString("status")))
          .map(t -> t.getLong("id")).findFirst().orElse(null));

      page.getByTestId("nav-contacts").click();
      page.getByTestId("contact-search").fill(mobile);
      page.getByTestId("contact-search-submit").click();
      page.getByTestId("contact-" + contact).click();
      assertThat(page.getByTestId("contact-name")).hasText(name);
      Locator journeys = page.getByTestId("part-journeys");
      assertThat(journeys.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
          new Locator.GetByRoleOptions().setName(key + " v1"))).isVisible();
      assertThat(journeys.getByTestId("run-" + key)).hasText("已完成");
      assertThat(journeys.getByTestId("step-" + key)).hasText("—");
      assertThat(journeys.getByTestId("run-welcome")).hasText("进行中");
      // the shipped welcome journey, entered by the same registration, waits at its step named "1 day"
      assertThat(journeys.getByTestId("step-welcome")).hasText("1 day");
      Locator row = page.getByTestId("touches").locator("tr", new Locator.LocatorOptions().setHasText(template));
      assertThat(row).containsText("log");
      assertThat(row).containsText("sent");
      assertThat(row).containsText(key);
      Locator history = page.getByTestId("touch-history-" + touch);
      history.locator("summary").click();
      assertThat(history.locator("ol li").last()).containsText("sent");
      journeys.evaluate("part => part.scrollIntoView()");
      tab.screenshot("contact-360");

      // the journeys list counts the entry
      page.getByTestId("nav-journeys").click();
      Locator listed = page.getByTestId("journeys-table").locator("tr", new Locator.LocatorOptions().setHas(page.getByTestId("journey-" + key)));
      assertThat(listed.locator("td")).hasText(new String[] {journeyName, "进行中", "1", "1", "1", "0", "0", "暂停"});
      tab.screenshot("journeys");
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  @Test
  void aJourneyStartedFromAShippedOneDeploysAsANewJourneyAndLeavesTheShippedOneAlone() {
    int shippedVersion = admin.get("/api/v1/journeys/welcome").json().getInteger("version");
    Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN");
    String copy = null;
    try {
      Page page = ConsoleUser.make("operator").signIn(tab.page());
      page.getByTestId("sample-select").selectOption("welcome");
      page.getByTestId("new-from-sample").click();
      DesignerCanvas canvas = new DesignerCanvas(page);
      copy = canvas.processId();
      assertTrue(copy.startsWith("welcome_"), "the copy has a key of its own: " + copy);

      page.getByTestId("deploy").click();
      assertThat(page).hasURL(Pattern.compile("/console/journeys/" + copy + "$"));
      Api.Reply made = admin.get("/api/v1/journeys/" + copy);
      assertEquals(200, made.status(), made.body());
      // it listens to member.registered like the shipped one: paused at once, so no other test's member enters it
      assertEquals(200, admin.post("/api/v1/journeys/" + copy + "/pause", null).status());
      assertTrue(made.json().getString("name").endsWith("（副本）"), made.json().getString("name"));
      assertEquals(1, made.json().getInteger("version"));
      assertEquals(shippedVersion, admin.get("/api/v1/journeys/welcome").json().getInteger("version"),
          "the shipped journey got no new version");
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    } finally {
      if (copy != null) {
        admin.post("/api/v1/journeys/" + copy + "/pause", null);
      }
      tab.close();
    }
  }

  @Test
  void unsavedChangesWarnBeforeLeavingAndSurviveAReload() {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Drawing drawing = newJourneyTriggeredBy(tab, "member.upgraded");
      Page page = drawing.page();
      DesignerCanvas canvas = drawing.canvas();
      String start = drawing.start();
      String key = canvas.processId();

      // leaving through the console's own links asks first; saying no stays on the drawing
      List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
      page.onDialog(dialog -> {
        asked.add(dialog.type());
        if ("confirm".equals(dialog.type())) {
          dialog.dismiss();
        } else {
          dialog.accept();
        }
      });
      page.getByTestId("nav-journeys").click();
      assertTrue(asked.contains("confirm"), "leaving asked first: " + asked);
      assertTrue(page.url().endsWith("/console/journeys/new"), page.url());
      assertThat(canvas.shape(start)).isVisible();

      // the draft is kept as the drawing changes (a moment after): a reload brings it back
      page.waitForTimeout(1000);
      page.reload();
      assertThat(page.getByTestId("draft-restored")).isVisible();
      DesignerCanvas again = new DesignerCanvas(page);
      assertThat(again.shape(start)).isVisible();
      assertEquals(key, again.processId());
      again.select(start);
      assertThat(again.field("Event types")).hasValue("member.upgraded");
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  @Test
  void aSendStepWithoutATemplateShowsTheServersProblemOnItAndNothingIsDeployed() {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Drawing drawing = newJourneyTriggeredBy(tab, "member.registered");
      Page page = drawing.page();
      DesignerCanvas canvas = drawing.canvas();
      String start = drawing.start();
      // the keyboard's way: add the send step after the selected start (connected), then an end from the context pad
      canvas.select(start);
      page.getByTestId("add-step-select").selectOption("io.siyu.send-message");
      page.getByTestId("add-step").click();
      String send = page.locator(".djs-shape.selected").getAttribute("data-element-id");
      canvas.select(send);
      page.locator(".djs-context-pad [data-action='append.end-event']").click();
      String key = canvas.processId();
      assertTrue(key.startsWith("journey_"), key);

      page.getByTestId("validate").click();
      Locator problem = page.getByTestId("problem-on-" + send);
      assertThat(problem).containsText("missing required field template");
      assertThat(canvas.shape(send)).hasClass(Pattern.compile("\\bsiyu-problem\\b"));
      assertThat(page.getByTestId("problems").locator("li")).hasCount(1);
      assertThat(page.getByTestId("designer-status")).containsText("未部署任何内容");

      page.getByTestId("deploy").click();
      assertThat(page.getByTestId("designer-status")).containsText("未部署：发现 1 个问题");
      assertThat(problem).containsText("missing required field template");
      assertTrue(page.url().endsWith("/console/journeys/new"), page.url());
      assertEquals(404, admin.get("/api/v1/journeys/" + key).status(), "no journey " + key + " was made");
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK, "422"), "only the server's refusals");
    }
  }

  @Test
  void anOperatorPreviewsATemplateForAContactAsTheyWouldReadIt() throws Exception {
    String template = "points_" + Unique.unique();
    made(admin.post("/api/v1/templates", new JsonObject().put("key", template).put("kind", "marketing")
        .put("description", "积分到账提醒").put("variants", new JsonArray()
            .add(new JsonObject().put("channel", "sms").put("locale", "zh-CN").put("body", "{{ contact.name }}，您的积分已到账。回TD退订"))
            .add(new JsonObject().put("channel", "email").put("locale", "zh-CN").put("subject", "{{ contact.name }}，积分到账")
                .put("body", "<h1>{{ contact.name }}，您好</h1><p>您的<strong>积分</strong>已到账。</p><script>alert(1)</script>")))));
    String name = "周一鸣" + Unique.unique().substring(0, 4);
    Api.Reply contact = admin.post("/api/v1/contacts", new JsonObject().put("name", name)
        .put("email", "zhou-" + Unique.unique() + "@example.com"));
    assertEquals(201, contact.status(), contact.toString());
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = ConsoleUser.make("operator").signIn(tab.page());
      page.getByTestId("nav-templates").click();
      assertThat(page.getByTestId("template-welcome")).isVisible();
      page.getByTestId("template-" + template).click();
      assertThat(page.getByTestId("variants").locator("legend")).hasText(new String[] {"email · zh-CN", "sms · zh-CN"});
      page.getByTestId("preview-contact").fill(String.valueOf(contact.json().getLong("id")));
      page.getByTestId("preview-channel").selectOption("email");
      page.getByTestId("preview").click();
      Locator frame = page.getByTestId("preview-html");
      assertThat(frame).hasAttribute("sandbox", "");
      FrameLocator message = page.frameLocator("[data-testid='preview-html']");
      assertThat(message.locator("h1")).hasText(name + "，您好");
      assertThat(message.locator("script")).hasCount(0);
      assertThat(page.getByTestId("preview-output")).containsText(name + "，积分到账");
      frame.evaluate("frame => frame.scrollIntoView({ block: 'end' })");
      tab.screenshot("template-preview");

      page.getByTestId("preview-channel").selectOption("sms");
      page.getByTestId("preview").click();
      assertThat(page.getByTestId("preview-text")).hasText(name + "，您的积分已到账。回TD退订");
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  /** An operator's page with a new journey whose empty canvas got a Journey trigger on {@code eventType}. */
  private record Drawing(Page page, DesignerCanvas canvas, String start) {}

  private static Drawing newJourneyTriggeredBy(Browser.Tab tab, String eventType) {
    Page page = ConsoleUser.make("operator").signIn(tab.page());
    page.getByTestId("new-journey").click();
    DesignerCanvas canvas = new DesignerCanvas(page);
    String start = canvas.drop("siyu-journey-start", 340, 200);
    canvas.fill("Event types", eventType);
    return new Drawing(page, canvas, start);
  }

  private static void made(Api.Reply reply) {
    assertEquals(201, reply.status(), reply.toString());
  }
}
