package io.siyu.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IdentitiesTest {
  @Test
  void mobilesBecomeE164WithChinaAsTheDefault() {
    assertEquals("+8613800138000", Identities.mobile("13800138000", "86"));
    assertEquals("+8613800138000", Identities.mobile("138 0013-8000", "86"));
    assertEquals("+8613800138000", Identities.mobile("+86 138 0013 8000", "86"));
    assertEquals("+8613800138000", Identities.mobile("008613800138000", "86"));
    assertEquals("+8613800138000", Identities.mobile("8613800138000", "86"));
    assertEquals("+85291234567", Identities.mobile("+852 9123 4567", "86"));
    assertEquals("+14155552671", Identities.mobile("(415) 555-2671", "1"));
  }

  @Test
  void impossibleMobilesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Identities.mobile("12", "86"));
    assertThrows(IllegalArgumentException.class, () -> Identities.mobile("23800138000", "86"));
    assertThrows(IllegalArgumentException.class, () -> Identities.mobile("1380013800a", "86"));
    assertThrows(IllegalArgumentException.class, () -> Identities.mobile("+86 138", "86"));
  }

  @Test
  void emailsAreLowercasedAndChecked() {
    assertEquals("li.lei@example.com", Identities.email("  Li.Lei@Example.COM "));
    assertThrows(IllegalArgumentException.class, () -> Identities.email("no-at-sign"));
    assertThrows(IllegalArgumentException.class, () -> Identities.email("a@b"));
  }
}
