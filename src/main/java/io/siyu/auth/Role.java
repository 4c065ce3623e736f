package io.siyu.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a token may do. The role matrix lives in {@link Access}. */
public enum Role {
  ADMIN, OPERATOR, MANAGER, INTEGRATION;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    return null;
  }

  public static Set<Role> all() {
    return EnumSet.allOf(Role.class);
  }
}
