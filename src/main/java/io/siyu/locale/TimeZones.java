package io.siyu.locale;

import java.time.ZoneId;

/** A contact's time zone by name. */
public final class TimeZones {
  private TimeZones() {}

  /** Where a contact's time zone is missing or unknown. */
  public static final ZoneId DEFAULT = ZoneId.of("Asia/Shanghai");

  /** The zone named, or the default when the name is missing or not a zone Java knows. */
  public static ZoneId of(String name) {
    try {
      return name == null ? DEFAULT : ZoneId.of(name);
    } catch (RuntimeException e) {
      return DEFAULT;
    }
  }
}
