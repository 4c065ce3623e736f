package io.siyu.contact;

/** Escapes text for use inside a LIKE/ILIKE pattern, so % and _ typed by a user match themselves. */
public final class Like {
  private Like() {}

  public static String escape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
