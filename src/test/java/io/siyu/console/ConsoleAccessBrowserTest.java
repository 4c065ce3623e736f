package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.RequestOptions;
import io.siyu.support.Api;
import io.siyu.support.Browser;
import io.siyu.support.TestSiyu;
import io.siyu.support.Unique;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Who may do what in a real browser: a manager reads journeys but cannot deploy (the API refuses too); sign-out ends the session. */
class ConsoleAccessBrowserTest {
  private static final Browser browser = Browser.shared();

  @Test
  void aManagerSeesTheJourneysButNoDeployControlAndTheApiRefusesADeployFromTheSession() {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = ConsoleUser.make("manager").signIn(tab.page());
      assertThat(page.getByTestId("journey-welcome")).isVisible();
      assertThat(page.getByTestId("journey-state-welcome")).hasText("进行中");
      assertThat(page.getByTestId("new-journey")).hasCount(0);
      assertThat(page.getByTestId("new-from-sample")).hasCount(0);
      assertThat(page.locator("[data-testid^='journey-pause-'], [data-testid^='journey-activate-']")).hasCount(0);

      // a journey opens read-only: the deployed diagram, nothing to deploy with
      page.getByTestId("journey-welcome").click();
      assertThat(page).hasURL(Pattern.compile("/console/journeys/welcome/versions/\\d+$"));
      assertThat(page.getByTestId("viewer").locator(".djs-element[data-element-id='sendWelcome']")).isVisible();
      assertThat(page.getByTestId("deploy")).hasCount(0);
      assertThat(page.getByTestId("open-designer")).hasCount(0);
      assertThat(page.locator(".djs-palette")).hasCount(0);
      page.navigate("/console/journeys/new");
      assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).hasText("此角色无权查看。");
      assertThat(page.getByTestId("deploy")).hasCount(0);

      // the session the page holds, with its CSRF token, is refused by the API all the same
      String csrf = new JsonObject(page.request().get("/api/v1/sessions/current").text()).getString("csrf_token");
      String key = "managed_" + Unique.unique();
      APIResponse deploy = page.request().post("/api/v1/journeys", RequestOptions.create()
          .setHeader("Content-Type", "application/xml").setHeader("X-CSRF-Token", csrf).setData(journey(key)));
      assertEquals(403, deploy.status(), deploy.text());
      assertEquals("https://siyu.io/problems/forbidden", new JsonObject(deploy.text()).getString("type"), "the role, not the CSRF token");
      APIResponse pause = page.request().post("/api/v1/journeys/welcome/pause", RequestOptions.create()
          .setHeader("X-CSRF-Token", csrf));
      assertEquals(403, pause.status(), pause.text());
      assertEquals(404, TestSiyu.admin().get("/api/v1/journeys/" + key).status(), "nothing deployed");
      Api.Reply valid = TestSiyu.withRole("operator").send(HttpMethod.POST, "/api/v1/journeys/validate", "application/xml",
          Buffer.buffer(journey(key)));
      assertEquals(200, valid.status(), "an operator could deploy it: " + valid);
      assertEquals("active", TestSiyu.admin().get("/api/v1/journeys/welcome").json().getString("status"));
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = tab.page();
      page.navigate("/console/");
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      tab.screenshot("sign-in");
      ConsoleUser.make("operator").signIn(page);
      String cookie = page.context().cookies().stream().filter(c -> c.name.equals("siyu_session")).map(c -> c.value)
          .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + page.context().cookies()));
      assertEquals(200, current(cookie).status(), "the cookie holds a session");

      page.getByTestId("sign-out").click();
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      assertThat(page).hasURL(Pattern.compile("/console/sign-in$"));
      assertEquals(401, current(cookie).status(), "the old cookie no longer holds a session");
      assertTrue(page.context().cookies().stream().map(c -> c.name).noneMatch("siyu_session"::equals),
          "the browser's cookie is cleared");
      // the pages ask again who you are
      page.navigate("/console/journeys");
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      assertThat(page.getByTestId("who")).hasCount(0);
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  /** {@code GET /sessions/current} with only {@code cookie}, as another client holding it would send it. */
  private static Api.Reply current(String cookie) {
    return TestSiyu.as(TestSiyu.get(), null).send(HttpMethod.GET, "/api/v1/sessions/current", null, null,
        MultiMap.caseInsensitiveMultiMap().set("Cookie", "siyu_session=" + cookie));
  }

  /** A journey the server would take from an operator: manual trigger, one tag step. */
  private static String journey(String key) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://siyu.io/test">
          <bpmn:process id="%s" isExecutable="true">
            <bpmn:startEvent id="start">
              <bpmn:extensionElements><camunda:properties>
                <camunda:property name="siyu.trigger" value="manual" />
              </camunda:properties></bpmn:extensionElements>
            </bpmn:startEvent>
            <bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """.formatted(key);
  }
}
