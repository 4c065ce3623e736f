package io.siyu.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A headless browser for the console's tests: Playwright for Java driving the machine's own
 * Chromium (Debian's {@code chromium} package; {@code .ci/run} installs it with
 * {@code fonts-wqy-microhei}, without which Chinese labels are empty boxes). Nothing is
 * downloaded: Playwright's browser download is off, its driver runs on the machine's Node (the
 * driver jar brings Playwright's JavaScript, not a Node binary).
 */
public final class SystemChromium implements AutoCloseable {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser");
  private final Playwright playwright;
  private final Browser browser;

  private SystemChromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  public static SystemChromium launch() {
    Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1",
        "PLAYWRIGHT_NODEJS_PATH", WebProject.executable("node"))));
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(chromium()).setHeadless(true).setArgs(List.of("--no-sandbox")));
      return new SystemChromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  /** A fresh context (its own cookies and storage) whose relative URLs go to {@code port} on loopback. */
  public BrowserContext context(int port) {
    return browser.newContext(new Browser.NewContextOptions().setBaseURL("http://127.0.0.1:" + port)
        .setViewportSize(1400, 900).setLocale("zh-CN").setTimezoneId("Asia/Shanghai"));
  }

  private static Path chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : NAMES) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError("the console's browser tests need Chromium on the PATH: apt-get install chromium fonts-wqy-microhei");
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
