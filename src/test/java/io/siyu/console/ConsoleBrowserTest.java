package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import io.siyu.support.SystemChromium;
import io.siyu.support.TestSiyu;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console in a real browser (the machine's Chromium): it loads, without script errors, and asks who you are. */
class ConsoleBrowserTest {
  private static SystemChromium chromium;

  @BeforeAll
  static void launch() {
    chromium = SystemChromium.launch();
  }

  @AfterAll
  static void close() {
    chromium.close();
  }

  @Test
  void aDeepLinkWithoutASessionShowsTheSignInFormAndComesBackAfter() {
    try (BrowserContext context = chromium.context(TestSiyu.get().httpPort())) {
      Page page = context.newPage();
      List<String> errors = new CopyOnWriteArrayList<>();
      page.onPageError(errors::add);
      page.onConsoleMessage((ConsoleMessage m) -> {
        // the session check answers 401 (or 404 before sessions exist): the browser logs that, nothing else may fail
        if ("error".equals(m.type()) && !m.text().contains("status of 40")) {
          errors.add(m.text());
        }
      });
      page.navigate("/console/journeys/welcome");
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      assertThat(page).hasURL(java.util.regex.Pattern.compile("/console/sign-in\\?next=journeys%2Fwelcome$"));
      assertThat(page.locator("html")).hasAttribute("lang", "zh-CN");
      // every control has a label, and the email field has the focus
      assertThat(page.getByLabel("邮箱")).isFocused();
      assertThat(page.getByLabel("密码")).isVisible();
      assertThat(page.getByTestId("sign-in-submit")).hasText("登录");

      page.getByTestId("language").click();
      assertThat(page.getByTestId("sign-in-submit")).hasText("Sign in");
      assertThat(page.locator("html")).hasAttribute("lang", "en");
      assertThat(page.getByLabel("Email")).isVisible();
      assertEquals(List.of(), errors);
    }
  }

  @Test
  void theModellerIsNotLoadedByTheSignInPage() {
    try (BrowserContext context = chromium.context(TestSiyu.get().httpPort())) {
      Page page = context.newPage();
      List<String> scripts = new CopyOnWriteArrayList<>();
      page.onRequest(r -> {
        if ("script".equals(r.resourceType())) {
          scripts.add(r.url());
        }
      });
      page.navigate("/console/");
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      assertTrue(scripts.stream().anyMatch(s -> s.contains("/assets/sign-in-")), scripts::toString);
      assertTrue(scripts.stream().noneMatch(s -> s.contains("modeler") || s.contains("NavigatedViewer")), scripts::toString);
    }
  }
}
