package io.siyu.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?q=} of the contact list: one box that finds a contact by mobile, email, WeCom
 * external_userid or name. Identities match exactly once normalised as they are stored (a mobile
 * typed {@code 138 0013 8000} is {@code +8613800138000}; an email in any case); a name matches by its
 * beginning, case-insensitively ({@code 王} finds 王芳). Each match is a condition one index answers:
 * the identities' unique indexes, and for the name a range over {@code lower(name)} in byte order
 * ({@code contacts_name_prefix_idx}), a range rather than {@code LIKE} so a generic plan can use
 * it too. A name's middle is not searched: that needs a scan of every contact (the {@code name}
 * filter does it).
 */
record ContactSearch(String mobile, String email, String externalUserid, String namePrefix) {
  /**
   * Names from the prefix ($1) up to the prefix followed by the last code point (U+10FFFF), which
   * every name starting with the prefix sorts below in byte order; lowered by the database, as the
   * index is.
   */
  private static final String NAME_PREFIX = "(lower(c.name) COLLATE \"C\" >= lower(%1$s) COLLATE \"C\" "
      + "AND lower(c.name) COLLATE \"C\" < (lower(%1$s) || chr(1114111)) COLLATE \"C\")";

  /** What {@code q} (not blank) can be. */
  static ContactSearch of(String q, String countryCode) {
    String s = q.strip();
    return new ContactSearch(tryNormalise(v -> Identities.mobile(v, countryCode), s), tryNormalise(Identities::email, s),
        tryNormalise(Identities::opaque, s), s);
  }

  private static String tryNormalise(Function<String, String> normalise, String s) {
    try {
      return normalise.apply(s);
    } catch (IllegalArgumentException notThisKind) {
      return null;
    }
  }

  /** A boolean SQL expression over {@code contacts c}; {@code bind} turns each value into a parameter. */
  String condition(Function<Object, String> bind) {
    List<String> any = new ArrayList<>();
    if (mobile != null) {
      any.add("c.mobile = " + bind.apply(mobile));
    }
    if (email != null) {
      any.add("c.email = " + bind.apply(email));
    }
    if (externalUserid != null) {
      any.add("c.external_userid = " + bind.apply(externalUserid));
    }
    any.add(String.format(NAME_PREFIX, bind.apply(namePrefix)));
    return "(" + String.join(" OR ", any) + ")";
  }
}
