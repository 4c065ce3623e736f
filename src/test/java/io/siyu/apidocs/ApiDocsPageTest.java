package io.siyu.apidocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.siyu.support.Browser;
import io.siyu.support.TestSiyu;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API reference page as a reader sees it in chromium: the contract rendered and navigable, nothing failing. */
class ApiDocsPageTest {
  private static final Browser browser = Browser.shared();

  @Test
  void theReferenceShowsTheGroupsAndOpensAnOperationWithoutErrors() throws Exception {
    Browser.Tab tab = browser.newPage(TestSiyu.baseUrl(), "en-US");
    Page page = tab.page();
    page.navigate("/docs/api");
    page.getByText("Siyu API (v1)").waitFor();
    assertTrue(page.title().contains("Siyu API"), page.title());
    Locator menu = page.locator("[role=navigation], nav, .menu-content").first();
    for (String group : List.of("Tokens", "Contacts", "Events", "Templates", "Journeys", "WeCom")) {
      assertTrue(menu.getByText(group, new Locator.GetByTextOptions().setExact(true)).count() > 0, group + " in the menu");
    }
    // a reader opens a group and an operation in it: the operation's path shows
    menu.getByText("Journeys", new Locator.GetByTextOptions().setExact(true)).first().click();
    menu.getByText("Deploy a BPMN journey").first().click();
    page.getByText("/api/v1/journeys").first().waitFor();
    assertTrue(page.url().contains("deployJourney") || page.url().contains("journeys"), page.url());
    tab.screenshot("api-reference");
    assertEquals(List.of(), tab.problems(), "no script or console errors");
  }
}
