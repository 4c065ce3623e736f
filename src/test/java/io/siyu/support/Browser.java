package io.siyu.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A real browser for the page tests: the machine's own chromium (Debian's {@code chromium}
 * package), driven by Playwright, whose driver runs on the machine's own Node — nothing is
 * downloaded. One browser serves every page test of a run ({@link #shared()}, closed when the
 * run ends); each {@link #newPage} is a fresh profile (no cookies, no storage), so a test signs in
 * for itself.
 *
 * <p>A page remembers what went wrong inside it that a user would not see: script errors and
 * console errors ({@link Tab#problems()}), so a test can assert there were none.
 */
public final class Browser implements AutoCloseable {
  /** Where Debian, Ubuntu and others put chromium; {@code SIYU_TEST_CHROMIUM} names another. */
  private static final List<String> CHROMIUMS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");
  /** Screenshots go here, or to the folder the system property {@code siyu.screenshots} names (e.g. docs/screenshots). */
  private static final Path SCREENSHOTS = Path.of(System.getProperty("siyu.screenshots", "target/screenshots"));

  private static Browser shared;

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser chromium;

  private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
    this.playwright = playwright;
    this.chromium = chromium;
  }

  /** The run's browser, started on first use and closed as the test JVM ends (tests run one at a time). */
  public static synchronized Browser shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** Starts chromium headless; fails with what to install when the machine has none. */
  private static Browser start() {
    Path executable = chromium();
    if (System.getProperty("playwright.nodejs.path") == null) {
      System.setProperty("playwright.nodejs.path", WebProject.executable("node"));
    }
    Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      // --no-sandbox: CI runs the tests as root, where chromium's sandbox refuses to start
      return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(executable).setHeadless(true).setArgs(List.of("--no-sandbox"))));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  private static Path chromium() {
    String chosen = System.getenv("SIYU_TEST_CHROMIUM");
    List<String> candidates = chosen == null ? CHROMIUMS : List.of(chosen);
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("No chromium at " + candidates + ": the page tests need one "
            + "(apt-get install -y chromium fonts-wqy-microhei; .ci/run installs them), or set SIYU_TEST_CHROMIUM"));
  }

  /**
   * A new tab in a profile of its own, in {@code locale} (e.g. zh-CN), on a desktop-sized window,
   * its relative URLs resolved against {@code baseUrl} (e.g. {@link TestSiyu#baseUrl()}).
   */
  public Tab newPage(String baseUrl, String locale) {
    BrowserContext context = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setBaseURL(baseUrl).setLocale(locale).setViewportSize(1440, 900).setTimezoneId("Asia/Shanghai"));
    context.setDefaultTimeout(15_000);
    Page page = context.newPage();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    page.onPageError(error -> problems.add("page error: " + error));
    page.onResponse(r -> {
      if (r.status() >= 400) {
        problems.add(r.status() + " " + r.request().method() + " " + r.url());
      }
    });
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type())) {
        problems.add("console error: " + m.text());
      }
    });
    return new Tab(page, problems);
  }

  /** A page and the errors seen in it so far. */
  public record Tab(Page page, List<String> problems) implements AutoCloseable {
    /** The problems but those containing one of {@code expected} (e.g. the 401 of a session check before sign-in). */
    public List<String> problemsExcept(String... expected) {
      synchronized (problems) {
        return problems.stream().filter(p -> java.util.Arrays.stream(expected).noneMatch(p::contains)).toList();
      }
    }

    /** Closes the tab's profile (its cookies and storage go with it). */
    @Override
    public void close() {
      page.context().close();
    }

    /**
     * Saves what the window shows now (1440x900, not the whole scrolled page: the docs show these) as
     * {@code name}.png and answers where.
     */
    public Path screenshot(String name) throws Exception {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      page.screenshot(new Page.ScreenshotOptions().setPath(file));
      return file;
    }
  }

  @Override
  public void close() {
    try {
      chromium.close();
    } finally {
      playwright.close();
    }
  }
}
