package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.siyu.support.Browser;
import io.siyu.support.TestSiyu;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console in a real browser (the machine's Chromium): it loads, without script errors, and asks who you are. */
class ConsoleBrowserTest {
  private static final Browser browser = Browser.shared();

  @Test
  void aDeepLinkWithoutASessionShowsTheSignInFormAndComesBackAfter() {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = tab.page();
      page.navigate("/console/journeys/welcome");
      assertThat(page.getByTestId("sign-in-form")).isVisible();
      assertThat(page).hasURL(Pattern.compile("/console/sign-in\\?next=journeys%2Fwelcome$"));
      assertThat(page.locator("html")).hasAttribute("lang", "zh-CN");
      // every control has a label, and the email field has the focus
      assertThat(page.getByLabel("邮箱")).isFocused();
      assertThat(page.getByLabel("密码")).isVisible();
      assertThat(page.getByTestId("sign-in-submit")).hasText("登录");

      page.getByTestId("language").click();
      assertThat(page.getByTestId("sign-in-submit")).hasText("Sign in");
      assertThat(page.locator("html")).hasAttribute("lang", "en");
      assertThat(page.getByLabel("Email")).isVisible();
      assertEquals(List.of(), tab.problemsExcept(ConsoleUser.SESSION_CHECK));
    }
  }

  @Test
  void theModellerIsNotLoadedByTheSignInPage() {
    try (Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "zh-CN")) {
      Page page = tab.page();
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
