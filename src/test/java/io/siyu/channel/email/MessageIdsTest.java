package io.siyu.channel.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Message-IDs from touch keys: stable, distinct for distinct keys, always valid. */
class MessageIdsTest {
  private static final String VALID = "<siyu\\.[A-Za-z0-9_%-]+@example\\.com>";

  @Test
  void plainKeysStayReadable() {
    assertEquals("<siyu.welcome-42_a@example.com>", MessageIds.of("welcome-42_a", "example.com"));
    assertEquals(MessageIds.of("welcome-42_a", "example.com"), MessageIds.of("welcome-42_a", "example.com"));
  }

  @Test
  void otherCharactersAreEscapedSoDistinctKeysStayDistinct() {
    assertEquals("<siyu.a%2Fb@example.com>", MessageIds.of("a/b", "example.com"));
    assertEquals("<siyu.a%252Fb@example.com>", MessageIds.of("a%2Fb", "example.com"));
    assertEquals("<siyu.%E7%94%9F%E6%97%A5@example.com>", MessageIds.of("生日", "example.com"));
    assertTrue(MessageIds.of("x <y>@\r\n\"z\".", "example.com").matches(VALID));
  }

  @Test
  void longKeysAreHashed() {
    String a = "k".repeat(65);
    String b = "k".repeat(64) + "j";
    assertTrue(MessageIds.of(a, "example.com").matches("<siyu\\.sha256-[0-9a-f]{64}@example\\.com>"));
    assertNotEquals(MessageIds.of(a, "example.com"), MessageIds.of(b, "example.com"));
  }
}
