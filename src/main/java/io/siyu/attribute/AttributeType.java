package io.siyu.attribute;

import java.util.Locale;

/** The value types an operator may declare for a custom contact attribute. */
public enum AttributeType {
  STRING, NUMBER, INTEGER, BOOLEAN, DATE, ENUM;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AttributeType fromWire(String s) {
    for (AttributeType t : values()) {
      if (t.wire().equals(s)) {
        return t;
      }
    }
    return null;
  }
}
