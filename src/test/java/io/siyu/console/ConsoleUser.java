package io.siyu.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import io.siyu.support.Api;
import io.siyu.support.TestSiyu;
import io.siyu.support.Unique;
import io.vertx.core.json.JsonObject;

/** A person of the shared test server, made with the admin token, who signs in through the console's form. */
record ConsoleUser(long id, String email, String password, String displayName, String role) {
  /** The session check before sign-in answers 401, which the browser logs; a page test allows it and nothing else. */
  static final String SESSION_CHECK = "401";

  /** A new person of {@code role} (admin, operator, manager, integration) with a name and email no other test uses. */
  static ConsoleUser make(String role) {
    String u = Unique.unique();
    String email = role + "-" + u + "@example.com";
    String password = "correct horse " + u;
    String name = "测试" + role + " " + u.substring(0, 4);
    Api.Reply made = TestSiyu.admin().post("/api/v1/users", new JsonObject().put("email", email).put("display_name", name)
        .put("role", role).put("password", password));
    if (made.status() != 201) {
      throw new AssertionError("could not make the user: " + made);
    }
    return new ConsoleUser(made.json().getLong("id"), email, password, name, role);
  }

  /** Opens the console, which asks who you are, and signs in with the form; answers once the shell names this person. */
  Page signIn(Page page) {
    page.navigate("/console/");
    assertThat(page.getByTestId("sign-in-form")).isVisible();
    page.getByTestId("sign-in-email").fill(email);
    page.getByTestId("sign-in-password").fill(password);
    page.getByTestId("sign-in-submit").click();
    assertThat(page.getByTestId("who")).containsText(displayName);
    return page;
  }
}
