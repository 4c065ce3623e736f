package io.siyu.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A provider faked on loopback (WeCom, an SMS gateway, an SMTP server, a webhook receiver), on a
 * free port with a Vert.x or server of its own, closed with everything it holds. Close it with
 * try-with-resources or in {@code @AfterEach}, or register a class's fake as
 * {@code @RegisterExtension static final FakeWecom wecom = new FakeWecom();} above the
 * {@link OwnServer} that uses it: JUnit closes it after the class's tests, once that server has
 * stopped (extensions end in the reverse order of their fields).
 */
public interface Fake extends AutoCloseable, AfterAllCallback {
  @Override
  void close();

  @Override
  default void afterAll(ExtensionContext context) {
    close();
  }
}
